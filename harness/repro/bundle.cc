#include "harness/repro/bundle.h"

#include <algorithm>
#include <archive.h>
#include <fstream>
#include <set>

#include "harness/repro/bundle_internal.h"

namespace tigress::harness {

namespace fs = std::filesystem;

Error BundleInvalid(const std::string& what) { return MakeError(Errc::kBundleInvalid, what); }

std::string ArchiveError(archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

const BundleMember* Bundle::Find(std::string_view path) const {
  for (const auto& m : members) {
    if (m.path == path) {
      return &m;
    }
  }
  return nullptr;
}

bool IsSafeMemberPath(std::string_view path) {
  if (path.empty() || path.size() > 1024 || path.front() == '/') {
    return false;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string_view seg = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") {
      return false;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return std::none_of(path.begin(), path.end(), [](char c) {
    return c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

Result<void> ExtractBundle(const Bundle& bundle, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return MakeError(Errc::kIoFailure, dir.string() + ": " + ec.message());
  }
  auto write = [&](const std::string& rel, const std::string& data, bool exec) -> Result<void> {
    if (!IsSafeMemberPath(rel)) {
      return BundleInvalid("unsafe member path '" + rel + "'");
    }
    const fs::path p = dir / rel;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out) {
      return MakeError(Errc::kIoFailure, p.string() + ": cannot write");
    }
    out.close();
    if (exec) {
      fs::permissions(p, fs::perms::owner_exec, fs::perm_options::add, ec);
    }
    return {};
  };
  TIGRESS_RETURN_IF_ERROR(
      write(std::string(kBundleInfoMember), BundleInfoToJson(bundle.info), false));
  for (const auto& m : bundle.members) {
    TIGRESS_RETURN_IF_ERROR(write(m.path, m.data, m.executable));
  }
  return {};
}

std::string BundleFileName(const fs::path& case_dir) {
  return "repro-" + case_dir.filename().string() + ".tar.gz";
}

std::vector<BundleFinding> FailingFindings(const reports::CaseResult& c) {
  std::vector<BundleFinding> out;
  for (const auto& a : c.assertions) {
    if (reports::IsFailing(a.verdict)) {
      out.push_back({a.requirement_id, std::string(reports::VerdictName(a.verdict)), a.message,
                     a.expected, a.actual});
    }
  }
  return out;
}

std::string FailureSignature(std::string_view verdict, const std::vector<BundleFinding>& findings) {
  std::set<std::string> ids;
  for (const auto& f : findings) {
    ids.insert(f.requirement_id.empty() ? "-" : f.requirement_id);
  }
  std::string out = std::string(verdict) + " [";
  bool first = true;
  for (const auto& id : ids) {
    out += (first ? "" : " ") + id;
    first = false;
  }
  return out + "]";
}

}  // namespace tigress::harness
