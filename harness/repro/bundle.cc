#include "harness/repro/bundle.h"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace tigress::harness {

namespace fs = std::filesystem;
using OJson = nlohmann::ordered_json;

namespace {

constexpr std::string_view kInfoMember = "bundle.json";

Error Bad(const std::string& what) { return MakeError(Errc::kBundleInvalid, what); }

OJson Strings(const std::vector<std::string>& v) {
  OJson a = OJson::array();
  for (const auto& s : v) {
    a.push_back(s);
  }
  return a;
}

class InfoReader {
 public:
  explicit InfoReader(const OJson& doc) : doc_(doc) {}

  static Result<std::string> Str(const OJson& o, const std::string& path, const char* key,
                                 bool required) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) {
        return Bad("bundle.json: " + path + key + " is missing");
      }
      return std::string();
    }
    if (!it->is_string()) {
      return Bad("bundle.json: " + path + key + " must be a string");
    }
    return it->get<std::string>();
  }

  static Result<std::vector<std::string>> Strs(const OJson& o, const std::string& path,
                                               const char* key) {
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end()) {
      return out;
    }
    if (!it->is_array()) {
      return Bad("bundle.json: " + path + key + " must be an array of strings");
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        return Bad("bundle.json: " + path + key + " must be an array of strings");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  Result<std::uint64_t> U64(const char* key) const {
    auto it = doc_.find(key);
    if (it == doc_.end()) {
      return std::uint64_t{0};
    }
    if (it->is_string()) {
      const std::string s = it->get<std::string>();
      if (!s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos) {
        try {
          return static_cast<std::uint64_t>(std::stoull(s));
        } catch (const std::exception&) {  // out of range: reported below
        }
      }
    }
    return Bad(std::string("bundle.json: ") + key + " must be a decimal string");
  }

 private:
  const OJson& doc_;
};

// libarchive handles, freed on every path out.
struct WriteArchive {
  archive* a = archive_write_new();
  ~WriteArchive() { archive_write_free(a); }
  WriteArchive() = default;
  WriteArchive(const WriteArchive&) = delete;
  WriteArchive& operator=(const WriteArchive&) = delete;
  WriteArchive(WriteArchive&&) = delete;
  WriteArchive& operator=(WriteArchive&&) = delete;
};
struct ReadArchive {
  archive* a = archive_read_new();
  ~ReadArchive() { archive_read_free(a); }
  ReadArchive() = default;
  ReadArchive(const ReadArchive&) = delete;
  ReadArchive& operator=(const ReadArchive&) = delete;
  ReadArchive(ReadArchive&&) = delete;
  ReadArchive& operator=(ReadArchive&&) = delete;
};

std::string ArchiveError(archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

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

}  // namespace

std::string BundleInfoToJson(const BundleInfo& info) {
  OJson findings = OJson::array();
  for (const auto& f : info.findings) {
    findings.push_back(OJson{{"requirement_id", f.requirement_id},
                             {"verdict", f.verdict},
                             {"message", f.message},
                             {"expected", f.expected},
                             {"actual", f.actual}});
  }
  OJson impls = OJson::array();
  for (const auto& i : info.implementations) {
    impls.push_back(OJson{{"name", i.name},
                          {"version", i.version},
                          {"features", Strings(i.features)},
                          {"roles", Strings(i.roles)},
                          {"manifest", i.manifest},
                          {"original_path", i.original_path},
                          {"original_root", i.original_root}});
  }
  OJson doc{{"format", kBundleFormatName},
            {"format_version", info.format_version},
            {"case_id", info.case_id},
            {"scenario_id", info.scenario_id},
            {"repetition", info.repetition},
            {"run_seed", std::to_string(info.run_seed)},
            {"case_seed", std::to_string(info.case_seed)},
            {"profile", info.profile},
            {"matrix", info.matrix},
            {"roles",
             {{"relay", info.relay}, {"initiator", info.initiator}, {"recipient", info.recipient}}},
            {"verdict", info.verdict},
            {"findings", std::move(findings)},
            {"implementations", std::move(impls)},
            {"scenario", info.scenario},
            {"expectations", info.expectations},
            {"expected_failure", info.expected_failure},
            {"harness_version", info.harness_version},
            {"created", info.created},
            {"command", info.command},
            {"command_line", info.command_line},
            {"files", Strings(info.files)},
            {"omitted", Strings(info.omitted)}};
  return doc.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

Result<BundleInfo> ParseBundleInfo(std::string_view json) {
  OJson doc = OJson::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Bad("bundle.json: not a JSON object");
  }
  if (doc.value("format", std::string()) != kBundleFormatName) {
    return Bad("bundle.json: format is not '" + std::string(kBundleFormatName) + "'");
  }
  auto version = doc.find("format_version");
  if (version == doc.end() || !version->is_number_integer() ||
      version->get<int>() != kBundleFormatVersion) {
    return Bad("bundle.json: format_version must be " + std::to_string(kBundleFormatVersion));
  }
  const InfoReader r(doc);
  BundleInfo info;
  TIGRESS_ASSIGN_OR_RETURN(info.case_id, r.Str(doc, "", "case_id", true));
  TIGRESS_ASSIGN_OR_RETURN(info.scenario_id, r.Str(doc, "", "scenario_id", true));
  if (auto rep = doc.find("repetition"); rep != doc.end()) {
    if (!rep->is_number_integer() || rep->get<int>() < 0 || rep->get<int>() > 100000) {
      return Bad("bundle.json: repetition must be a small non-negative integer");
    }
    info.repetition = rep->get<int>();
  }
  TIGRESS_ASSIGN_OR_RETURN(info.run_seed, r.U64("run_seed"));
  TIGRESS_ASSIGN_OR_RETURN(info.case_seed, r.U64("case_seed"));
  TIGRESS_ASSIGN_OR_RETURN(info.profile, r.Str(doc, "", "profile", false));
  if (info.profile.empty()) {
    info.profile = "strict";
  }
  if (auto m = doc.find("matrix"); m != doc.end()) {
    if (!m->is_boolean()) {
      return Bad("bundle.json: matrix must be a boolean");
    }
    info.matrix = m->get<bool>();
  }
  if (auto roles = doc.find("roles"); roles != doc.end()) {
    if (!roles->is_object()) {
      return Bad("bundle.json: roles must be an object");
    }
    TIGRESS_ASSIGN_OR_RETURN(info.relay, r.Str(*roles, "roles.", "relay", false));
    TIGRESS_ASSIGN_OR_RETURN(info.initiator, r.Str(*roles, "roles.", "initiator", false));
    TIGRESS_ASSIGN_OR_RETURN(info.recipient, r.Str(*roles, "roles.", "recipient", false));
  }
  TIGRESS_ASSIGN_OR_RETURN(info.verdict, r.Str(doc, "", "verdict", false));
  if (auto found = doc.find("findings"); found != doc.end()) {
    if (!found->is_array()) {
      return Bad("bundle.json: findings must be an array");
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
      const OJson& x = (*found)[i];
      const std::string p = "findings[" + std::to_string(i) + "].";
      if (!x.is_object()) {
        return Bad("bundle.json: " + p + " must be an object");
      }
      BundleFinding f;
      TIGRESS_ASSIGN_OR_RETURN(f.requirement_id, r.Str(x, p, "requirement_id", false));
      TIGRESS_ASSIGN_OR_RETURN(f.verdict, r.Str(x, p, "verdict", true));
      TIGRESS_ASSIGN_OR_RETURN(f.message, r.Str(x, p, "message", false));
      TIGRESS_ASSIGN_OR_RETURN(f.expected, r.Str(x, p, "expected", false));
      TIGRESS_ASSIGN_OR_RETURN(f.actual, r.Str(x, p, "actual", false));
      info.findings.push_back(std::move(f));
    }
  }
  auto impls = doc.find("implementations");
  if (impls == doc.end() || !impls->is_array()) {
    return Bad("bundle.json: implementations must be an array");
  }
  for (std::size_t i = 0; i < impls->size(); ++i) {
    const OJson& x = (*impls)[i];
    const std::string p = "implementations[" + std::to_string(i) + "].";
    if (!x.is_object()) {
      return Bad("bundle.json: " + p + " must be an object");
    }
    BundleImplementation m;
    TIGRESS_ASSIGN_OR_RETURN(m.name, r.Str(x, p, "name", true));
    TIGRESS_ASSIGN_OR_RETURN(m.version, r.Str(x, p, "version", false));
    TIGRESS_ASSIGN_OR_RETURN(m.features, r.Strs(x, p, "features"));
    TIGRESS_ASSIGN_OR_RETURN(m.roles, r.Strs(x, p, "roles"));
    TIGRESS_ASSIGN_OR_RETURN(m.manifest, r.Str(x, p, "manifest", true));
    if (!IsSafeMemberPath(m.manifest)) {
      return Bad("bundle.json: " + p + "manifest is not a safe member path");
    }
    TIGRESS_ASSIGN_OR_RETURN(m.original_path, r.Str(x, p, "original_path", false));
    TIGRESS_ASSIGN_OR_RETURN(m.original_root, r.Str(x, p, "original_root", false));
    info.implementations.push_back(std::move(m));
  }
  TIGRESS_ASSIGN_OR_RETURN(info.scenario, r.Str(doc, "", "scenario", true));
  if (!IsSafeMemberPath(info.scenario)) {
    return Bad("bundle.json: scenario is not a safe member path");
  }
  TIGRESS_ASSIGN_OR_RETURN(info.expectations, r.Str(doc, "", "expectations", false));
  if (!info.expectations.empty() && !IsSafeMemberPath(info.expectations)) {
    return Bad("bundle.json: expectations is not a safe member path");
  }
  info.expected_failure = doc.value("expected_failure", false);
  TIGRESS_ASSIGN_OR_RETURN(info.harness_version, r.Str(doc, "", "harness_version", false));
  TIGRESS_ASSIGN_OR_RETURN(info.created, r.Str(doc, "", "created", false));
  TIGRESS_ASSIGN_OR_RETURN(info.command, r.Str(doc, "", "command", false));
  TIGRESS_ASSIGN_OR_RETURN(info.command_line, r.Str(doc, "", "command_line", false));
  TIGRESS_ASSIGN_OR_RETURN(info.files, r.Strs(doc, "", "files"));
  TIGRESS_ASSIGN_OR_RETURN(info.omitted, r.Strs(doc, "", "omitted"));
  return info;
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

Result<void> WriteBundle(const fs::path& out, BundleInfo info,
                         const std::vector<BundleMember>& members) {
  std::set<std::string> seen{std::string(kInfoMember)};
  info.files.clear();
  for (const auto& m : members) {
    if (!IsSafeMemberPath(m.path)) {
      return Bad("bundle member '" + m.path + "' is not a safe relative path");
    }
    if (!seen.insert(m.path).second) {
      return Bad("bundle member '" + m.path + "' appears twice");
    }
    info.files.push_back(m.path);
  }
  const std::string top = TopDirectory(out);
  const fs::path tmp = out.string() + ".part";
  WriteArchive w;
  if (archive_write_add_filter_gzip(w.a) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
      archive_write_open_filename(w.a, tmp.c_str()) != ARCHIVE_OK) {
    return MakeError(Errc::kIoFailure, tmp.string() + ": " + ArchiveError(w.a));
  }
  const std::time_t now = std::time(nullptr);
  auto add = [&](const std::string& path, const std::string& data, bool exec) -> Result<void> {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                    &archive_entry_free);
    const std::string full = top + "/" + path;
    archive_entry_set_pathname(e.get(), full.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), exec ? 0755 : 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
    archive_entry_set_mtime(e.get(), now, 0);
    if (archive_write_header(w.a, e.get()) != ARCHIVE_OK ||
        (!data.empty() && archive_write_data(w.a, data.data(), data.size()) !=
                              static_cast<la_ssize_t>(data.size()))) {
      return MakeError(Errc::kIoFailure, tmp.string() + ": " + path + ": " + ArchiveError(w.a));
    }
    return {};
  };
  auto result = add(std::string(kInfoMember), BundleInfoToJson(info), false);
  for (std::size_t i = 0; result && i < members.size(); ++i) {
    result = add(members[i].path, members[i].data, members[i].executable);
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

Result<Bundle> ReadBundle(const fs::path& in) {
  ReadArchive r;
  archive_read_support_filter_gzip(r.a);
  archive_read_support_format_tar(r.a);
  if (archive_read_open_filename(r.a, in.c_str(), 1U << 16U) != ARCHIVE_OK) {
    return MakeError(Errc::kIoFailure, in.string() + ": " + ArchiveError(r.a));
  }
  Bundle b;
  std::string top;
  std::optional<std::string> info_text;
  std::set<std::string> seen;
  std::size_t count = 0;
  archive_entry* e = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(r.a, &e);
    if (rc == ARCHIVE_EOF) {
      break;
    }
    if (rc != ARCHIVE_OK) {
      return Bad(in.string() + ": not a readable tar.gz: " + ArchiveError(r.a));
    }
    const char* raw = archive_entry_pathname(e);
    std::string name = raw != nullptr ? raw : "";
    while (!name.empty() && name.back() == '/') {
      name.pop_back();
    }
    if (!IsSafeMemberPath(name)) {
      return Bad(in.string() + ": unsafe member path '" + name + "'");
    }
    const auto slash = name.find('/');
    const std::string first = name.substr(0, slash);
    if (top.empty()) {
      top = first;
    } else if (first != top) {
      std::string what = in.string();
      what += ": member '" + name;
      what += "' is outside the top directory '" + top + "'";
      return Bad(what);
    }
    const auto type = archive_entry_filetype(e);
    if (type == AE_IFDIR) {
      continue;
    }
    if (type != AE_IFREG) {
      return Bad(in.string() + ": member '" + name + "' is not a regular file");
    }
    if (slash == std::string::npos) {
      return Bad(in.string() + ": member '" + name + "' is not inside a top directory");
    }
    if (++count > kMaxBundleMembers) {
      return Bad(in.string() + ": more than " + std::to_string(kMaxBundleMembers) + " members");
    }
    if (archive_entry_size_is_set(e) != 0 &&
        (archive_entry_size(e) < 0 ||
         static_cast<std::uint64_t>(archive_entry_size(e)) > kMaxBundleMemberBytes)) {
      return Bad(in.string() + ": member '" + name + "' is too large");
    }
    std::string data;
    std::array<char, 1U << 15U> buf{};
    for (;;) {
      la_ssize_t n = archive_read_data(r.a, buf.data(), buf.size());
      if (n < 0) {
        return Bad(in.string() + ": member '" + name + "': " + ArchiveError(r.a));
      }
      if (n == 0) {
        break;
      }
      data.append(buf.data(), static_cast<std::size_t>(n));
      if (data.size() > kMaxBundleMemberBytes) {
        return Bad(in.string() + ": member '" + name + "' is too large");
      }
    }
    std::string rel = name.substr(slash + 1);
    if (!seen.insert(rel).second) {
      return Bad(in.string() + ": member '" + rel + "' appears twice");
    }
    if (rel == kInfoMember) {
      info_text = std::move(data);
      continue;
    }
    b.members.push_back({std::move(rel), std::move(data), (archive_entry_perm(e) & 0100) != 0});
  }
  if (!info_text) {
    return Bad(in.string() + ": no bundle.json (not a tigress-harness reproduction bundle)");
  }
  TIGRESS_ASSIGN_OR_RETURN(b.info, ParseBundleInfo(*info_text));
  if (b.Find(b.info.scenario) == nullptr) {
    return Bad(in.string() + ": the scenario member '" + b.info.scenario + "' is missing");
  }
  for (const auto& m : b.info.implementations) {
    if (b.Find(m.manifest) == nullptr) {
      return Bad(in.string() + ": the manifest member '" + m.manifest + "' is missing");
    }
  }
  return b;
}

Result<void> ExtractBundle(const Bundle& bundle, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return MakeError(Errc::kIoFailure, dir.string() + ": " + ec.message());
  }
  auto write = [&](const std::string& rel, const std::string& data, bool exec) -> Result<void> {
    if (!IsSafeMemberPath(rel)) {
      return Bad("unsafe member path '" + rel + "'");
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
  TIGRESS_RETURN_IF_ERROR(write(std::string(kInfoMember), BundleInfoToJson(bundle.info), false));
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

Result<fs::path> WriteCaseBundle(const CaseBundleInput& in) {
  const reports::CaseResult& c = *in.result;
  auto redact = [&](std::string_view s) { return in.redact ? in.redact(s) : std::string(s); };
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
    f.message = redact(f.message);
    f.expected = redact(f.expected);
    f.actual = redact(f.actual);
  }
  info.expected_failure = c.expected_failure;
  info.harness_version = in.harness_version;
  info.created = in.created;
  info.command = redact(in.command);
  info.command_line = redact(in.command_line);

  std::vector<BundleMember> members;
  members.push_back({info.scenario, redact(in.scenario_text), false});
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
    BundleImplementation b;
    b.name = m->name;
    b.version = m->version;
    b.features = m->features;
    if (in.hello) {
      auto [version, features] = in.hello(m->name);
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
    b.manifest = "manifests/" + m->name + ".yaml";
    b.original_path = m->path.string();
    b.original_root = m->root.string();
    TIGRESS_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(m->path));
    members.push_back({b.manifest, redact(text), false});
    info.implementations.push_back(std::move(b));
  }
  if (!in.expectations_path.empty()) {
    TIGRESS_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(in.expectations_path));
    info.expectations = "expectations.yaml";
    members.push_back({info.expectations, redact(text), false});
  }
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
  for (const auto& p : files) {
    const std::string name = p.filename().string();
    if (fs::file_size(p, ec) > kMaxBundleMemberBytes) {
      info.omitted.push_back(name + " (larger than " +
                             std::to_string(kMaxBundleMemberBytes >> 20U) + " MiB)");
      continue;
    }
    TIGRESS_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(p));
    members.push_back({"case/" + name, redact(text), name.ends_with(".sh")});
  }
  const fs::path out = in.case_dir / own;
  TIGRESS_RETURN_IF_ERROR(WriteBundle(out, std::move(info), members));
  return out;
}

}  // namespace tigress::harness
