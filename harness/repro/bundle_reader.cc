// ReadBundle (bundle.h): a bundle may come from elsewhere, so every member is
// checked before its data is kept.
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <optional>
#include <set>

#include "harness/repro/bundle.h"
#include "harness/repro/bundle_internal.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

// libarchive's read handle, freed on every path out.
struct ReadArchive {
  archive* a = archive_read_new();
  ~ReadArchive() { archive_read_free(a); }
  ReadArchive() = default;
  ReadArchive(const ReadArchive&) = delete;
  ReadArchive& operator=(const ReadArchive&) = delete;
  ReadArchive(ReadArchive&&) = delete;
  ReadArchive& operator=(ReadArchive&&) = delete;
};

// Collects the members of one archive, entry by entry, under the reading
// rules of bundle.h; every refusal names the archive `in`.
class MemberScan {
 public:
  explicit MemberScan(const fs::path& in) : in_(in) {}

  // `Add` checks the entry `e` the archive `a` is positioned at and keeps its data.
  Result<void> Add(archive* a, archive_entry* e);
  // `Finish` parses bundle.json and checks the members it names.
  Result<Bundle> Finish();

 private:
  Error Refuse(const std::string& what) const { return BundleInvalid(in_.string() + ": " + what); }
  static std::string TotalTooLarge(const std::string& name) {
    return "the members unpack to more than " + std::to_string(kMaxBundleTotalBytes >> 20U) +
           " MiB (at member '" + name + "')";
  }
  // The entry's data, at most kMaxBundleMemberBytes and what is left of
  // kMaxBundleTotalBytes; counts it into `total_`.
  Result<std::string> ReadData(archive* a, const std::string& name);

  const fs::path& in_;
  Bundle bundle_;
  std::string top_;
  std::optional<std::string> info_text_;
  std::set<std::string> seen_;
  std::size_t count_ = 0;
  std::size_t total_ = 0;  // bytes of the members read so far
};

Result<void> MemberScan::Add(archive* a, archive_entry* e) {
  const char* raw = archive_entry_pathname(e);
  std::string name = raw != nullptr ? raw : "";
  while (!name.empty() && name.back() == '/') {
    name.pop_back();
  }
  if (!IsSafeMemberPath(name)) {
    return Refuse("unsafe member path '" + name + "'");
  }
  const auto slash = name.find('/');
  const std::string first = name.substr(0, slash);
  if (top_.empty()) {
    top_ = first;
  } else if (first != top_) {
    return Refuse("member '" + name + "' is outside the top directory '" + top_ + "'");
  }
  const auto type = archive_entry_filetype(e);
  if (type == AE_IFDIR) {
    return {};
  }
  if (type != AE_IFREG) {
    return Refuse("member '" + name + "' is not a regular file");
  }
  if (slash == std::string::npos) {
    return Refuse("member '" + name + "' is not inside a top directory");
  }
  if (++count_ > kMaxBundleMembers) {
    return Refuse("more than " + std::to_string(kMaxBundleMembers) + " members");
  }
  if (archive_entry_size_is_set(e) != 0 &&
      (archive_entry_size(e) < 0 ||
       static_cast<std::uint64_t>(archive_entry_size(e)) > kMaxBundleMemberBytes)) {
    return Refuse("member '" + name + "' is too large");
  }
  if (archive_entry_size_is_set(e) != 0 &&
      static_cast<std::uint64_t>(archive_entry_size(e)) > kMaxBundleTotalBytes - total_) {
    return Refuse(TotalTooLarge(name));
  }
  TIGRESS_ASSIGN_OR_RETURN(std::string data, ReadData(a, name));
  std::string rel = name.substr(slash + 1);
  if (!seen_.insert(rel).second) {
    return Refuse("member '" + rel + "' appears twice");
  }
  if (rel == kBundleInfoMember) {
    info_text_ = std::move(data);
    return {};
  }
  bundle_.members.push_back({std::move(rel), std::move(data), (archive_entry_perm(e) & 0100) != 0});
  return {};
}

Result<std::string> MemberScan::ReadData(archive* a, const std::string& name) {
  std::string data;
  std::array<char, 1U << 15U> buf{};
  for (;;) {
    la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
    if (n < 0) {
      return Refuse("member '" + name + "': " + ArchiveError(a));
    }
    if (n == 0) {
      return data;
    }
    data.append(buf.data(), static_cast<std::size_t>(n));
    total_ += static_cast<std::size_t>(n);
    if (data.size() > kMaxBundleMemberBytes) {
      return Refuse("member '" + name + "' is too large");
    }
    if (total_ > kMaxBundleTotalBytes) {
      return Refuse(TotalTooLarge(name));
    }
  }
}

Result<Bundle> MemberScan::Finish() {
  if (!info_text_) {
    return Refuse("no bundle.json (not a tigress-harness reproduction bundle)");
  }
  TIGRESS_ASSIGN_OR_RETURN(bundle_.info, ParseBundleInfo(*info_text_));
  if (bundle_.Find(bundle_.info.scenario) == nullptr) {
    return Refuse("the scenario member '" + bundle_.info.scenario + "' is missing");
  }
  for (const auto& m : bundle_.info.implementations) {
    if (bundle_.Find(m.manifest) == nullptr) {
      return Refuse("the manifest member '" + m.manifest + "' is missing");
    }
  }
  return std::move(bundle_);
}

}  // namespace

Result<Bundle> ReadBundle(const fs::path& in) {
  ReadArchive r;
  archive_read_support_filter_gzip(r.a);
  archive_read_support_format_tar(r.a);
  if (archive_read_open_filename(r.a, in.c_str(), 1U << 16U) != ARCHIVE_OK) {
    return MakeError(Errc::kIoFailure, in.string() + ": " + ArchiveError(r.a));
  }
  MemberScan scan(in);
  archive_entry* e = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(r.a, &e);
    if (rc == ARCHIVE_EOF) {
      break;
    }
    if (rc != ARCHIVE_OK) {
      return BundleInvalid(in.string() + ": not a readable tar.gz: " + ArchiveError(r.a));
    }
    TIGRESS_RETURN_IF_ERROR(scan.Add(r.a, e));
  }
  return scan.Finish();
}

}  // namespace tigress::harness
