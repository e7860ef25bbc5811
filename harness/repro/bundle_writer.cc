// WriteBundle and WriteCaseBundle (bundle.h): members checked, packed as a
// gzip-compressed POSIX tar and renamed into place.
#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <ctime>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "harness/repro/bundle.h"
#include "harness/repro/bundle_internal.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

// libarchive's write handle, freed on every path out.
struct WriteArchive {
  archive* a = archive_write_new();
  ~WriteArchive() { archive_write_free(a); }
  WriteArchive() = default;
  WriteArchive(const WriteArchive&) = delete;
  WriteArchive& operator=(const WriteArchive&) = delete;
  WriteArchive(WriteArchive&&) = delete;
  WriteArchive& operator=(WriteArchive&&) = delete;
};

std::string TopDirectory(const fs::path& out) {
  std::string name = out.filename().string();
  for (std::string_view ext : {".tar.gz", ".tgz"}) {
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return name.substr(0, name.size() - ext.size());
    }
  }
  return name.empty() ? "bundle" : name;
}

Result<std::string> ReadWholeFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return MakeError(Errc::kIoFailure, p.string() + ": cannot read");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The member paths in order, refusing unsafe ones, duplicates and bundle.json.
Result<std::vector<std::string>> MemberPaths(const std::vector<BundleMember>& members) {
  std::set<std::string> seen{std::string(kBundleInfoMember)};
  std::vector<std::string> out;
  for (const auto& m : members) {
    if (!IsSafeMemberPath(m.path)) {
      return BundleInvalid("bundle member '" + m.path + "' is not a safe relative path");
    }
    if (!seen.insert(m.path).second) {
      return BundleInvalid("bundle member '" + m.path + "' appears twice");
    }
    out.push_back(m.path);
  }
  return out;
}

// Writes regular-file entries under `top` into the open archive `tmp`.
struct EntryWriter {
  archive* a;
  const fs::path& tmp;
  const std::string& top;
  std::time_t now;

  Result<void> Add(const std::string& path, const std::string& data, bool exec) const {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                    &archive_entry_free);
    const std::string full = top + "/" + path;
    archive_entry_set_pathname(e.get(), full.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), exec ? 0755 : 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
    archive_entry_set_mtime(e.get(), now, 0);
    if (archive_write_header(a, e.get()) != ARCHIVE_OK ||
        (!data.empty() &&
         archive_write_data(a, data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))) {
      return MakeError(Errc::kIoFailure, tmp.string() + ": " + path + ": " + ArchiveError(a));
    }
    return {};
  }
};

std::string Redacted(const CaseBundleInput& in, std::string_view s) {
  return in.redact ? in.redact(s) : std::string(s);
}

// bundle.json's case fields; the findings and commands redacted.
BundleInfo CaseInfo(const CaseBundleInput& in) {
  const reports::CaseResult& c = *in.result;
  BundleInfo info;
  info.case_id = c.case_id;
  info.scenario_id = in.scenario_id;
  info.repetition = in.repetition;
  info.run_seed = in.run_seed;
  info.case_seed = c.seed;
  info.profile = in.profile;
  info.matrix = in.matrix;
  info.relay = c.relay;
  info.initiator = c.initiator;
  info.recipient = c.recipient;
  info.verdict = std::string(reports::VerdictName(c.verdict));
  info.findings = FailingFindings(c);
  for (auto& f : info.findings) {
    f.message = Redacted(in, f.message);
    f.expected = Redacted(in, f.expected);
    f.actual = Redacted(in, f.actual);
  }
  info.expected_failure = c.expected_failure;
  info.harness_version = in.harness_version;
  info.created = in.created;
  info.command = Redacted(in, in.command);
  info.command_line = Redacted(in, in.command_line);
  return info;
}

// A new implementation entry for `m` playing `role`, with the adapter's hello.
BundleImplementation Implementation(const CaseBundleInput& in, const Manifest& m,
                                    const std::string& role) {
  BundleImplementation b;
  b.name = m.name;
  b.version = m.version;
  b.features = m.features;
  if (in.hello) {
    auto [version, features] = in.hello(m.name);
    if (!version.empty()) {
      b.version = version;
    }
    for (const auto& f : features) {
      if (std::find(b.features.begin(), b.features.end(), f) == b.features.end()) {
        b.features.push_back(f);
      }
    }
  }
  b.roles.push_back(role);
  b.manifest = "manifests/" + m.name + ".yaml";
  b.original_path = m.path.string();
  b.original_root = m.root.string();
  return b;
}

// One entry per implementation (its roles merged) and its manifest as a member.
Result<void> AddImplementations(const CaseBundleInput& in, BundleInfo& info,
                                std::vector<BundleMember>& members) {
  for (const auto& [role, m] : {std::pair<std::string, const Manifest*>{"relay", in.relay},
                                {"initiator", in.initiator},
                                {"recipient", in.recipient}}) {
    if (m == nullptr) {
      continue;
    }
    const std::string& name = m->name;
    auto it = std::find_if(info.implementations.begin(), info.implementations.end(),
                           [&name](const BundleImplementation& b) { return b.name == name; });
    if (it != info.implementations.end()) {
      it->roles.push_back(role);
      continue;
    }
    BundleImplementation b = Implementation(in, *m, role);
    TIGRESS_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(m->path));
    TIGRESS_ASSIGN_OR_RETURN(std::string bundled, RedactManifestEnv(text, m->path));
    members.push_back({b.manifest, Redacted(in, bundled), false});
    info.implementations.push_back(std::move(b));
  }
  return {};
}

// What the members add up to (the readers' total cap counts them all).
std::size_t MemberBytes(const std::vector<BundleMember>& members) {
  std::size_t n = 0;
  for (const auto& m : members) {
    n += m.data.size();
  }
  return n;
}

// Room kept for bundle.json when case files fill the bundle.
constexpr std::size_t kBundleInfoReserve = 1U << 20U;

// The case directory's regular files by name, as case/<name>; one over the
// member cap, or over what is left of the total cap, is listed in
// `info.omitted` instead.
Result<void> AddCaseFiles(const CaseBundleInput& in, BundleInfo& info,
                          std::vector<BundleMember>& members) {
  const std::string own = BundleFileName(in.case_dir);
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(in.case_dir, ec)) {
    const std::string name = entry.path().filename().string();
    // Subdirectories are the processes' work directories (databases, state).
    if (!entry.is_regular_file() || name == own || name.ends_with(".part") ||
        !IsSafeMemberPath(name)) {
      continue;
    }
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::size_t used = MemberBytes(members) + kBundleInfoReserve;
  for (const auto& p : files) {
    const std::string name = p.filename().string();
    const std::uintmax_t size = fs::file_size(p, ec);
    if (size > kMaxBundleMemberBytes) {
      info.omitted.push_back(name + " (larger than " +
                             std::to_string(kMaxBundleMemberBytes >> 20U) + " MiB)");
      continue;
    }
    TIGRESS_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(p));
    std::string data = Redacted(in, text);
    if (used + data.size() > kMaxBundleTotalBytes) {
      info.omitted.push_back(name + " (the bundle would pass " +
                             std::to_string(kMaxBundleTotalBytes >> 20U) + " MiB)");
      continue;
    }
    used += data.size();
    members.push_back({"case/" + name, std::move(data), name.ends_with(".sh")});
  }
  return {};
}

}  // namespace

Result<std::string> RedactManifestEnv(const std::string& text, const fs::path& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return MakeError(Errc::kManifestInvalid, path.string() + ": " + e.what());
  }
  if (!root.IsMap() || !root["env"] || !root["env"].IsMap() || root["env"].size() == 0) {
    return text;
  }
  YAML::Node env = root["env"];
  for (auto kv : env) {
    kv.second = std::string(kRedactedEnvValue);
  }
  YAML::Emitter out;
  out << root;
  return "# The env values of this manifest were redacted when the bundle was written;\n"
         "# the names are kept. Written from " +
         path.filename().string() + ".\n" + out.c_str() + "\n";
}

Result<void> WriteBundle(const fs::path& out, BundleInfo info,
                         const std::vector<BundleMember>& members) {
  TIGRESS_ASSIGN_OR_RETURN(info.files, MemberPaths(members));
  const std::string info_json = BundleInfoToJson(info);
  if (MemberBytes(members) + info_json.size() > kMaxBundleTotalBytes) {
    return BundleInvalid("the bundle's members add up to more than " +
                         std::to_string(kMaxBundleTotalBytes >> 20U) + " MiB");
  }
  const std::string top = TopDirectory(out);
  const fs::path tmp = out.string() + ".part";
  WriteArchive w;
  if (archive_write_add_filter_gzip(w.a) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
      archive_write_open_filename(w.a, tmp.c_str()) != ARCHIVE_OK) {
    return MakeError(Errc::kIoFailure, tmp.string() + ": " + ArchiveError(w.a));
  }
  const EntryWriter writer{w.a, tmp, top, std::time(nullptr)};
  auto result = writer.Add(std::string(kBundleInfoMember), info_json, false);
  for (std::size_t i = 0; result && i < members.size(); ++i) {
    result = writer.Add(members[i].path, members[i].data, members[i].executable);
  }
  if (result && archive_write_close(w.a) != ARCHIVE_OK) {
    result = MakeError(Errc::kIoFailure, tmp.string() + ": " + ArchiveError(w.a));
  }
  std::error_code ec;
  if (result) {
    fs::rename(tmp, out, ec);
    if (ec) {
      result = MakeError(Errc::kIoFailure, out.string() + ": " + ec.message());
    }
  }
  if (!result) {
    fs::remove(tmp, ec);
  }
  return result;
}

Result<fs::path> WriteCaseBundle(const CaseBundleInput& in) {
  BundleInfo info = CaseInfo(in);
  std::vector<BundleMember> members;
  members.push_back({info.scenario, Redacted(in, in.scenario_text), false});
  TIGRESS_RETURN_IF_ERROR(AddImplementations(in, info, members));
  if (!in.expectations_path.empty()) {
    TIGRESS_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(in.expectations_path));
    info.expectations = "expectations.yaml";
    members.push_back({info.expectations, Redacted(in, text), false});
  }
  TIGRESS_RETURN_IF_ERROR(AddCaseFiles(in, info, members));
  const fs::path out = in.case_dir / BundleFileName(in.case_dir);
  TIGRESS_RETURN_IF_ERROR(WriteBundle(out, std::move(info), members));
  return out;
}

}  // namespace tigress::harness
