#include "reports/catalog_revisions.h"

#include <cctype>
#include <optional>
#include <regex>
#include <vector>

#include "protocol/revision.h"

namespace tigress::reports {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSection = "§";

Error Bad(const std::string& origin, const std::string& path, const std::string& what) {
  return MakeError(Errc::kConfigInvalid, origin + ": " + path + ": " + what);
}

// An optional string member; `required` makes its absence (or emptiness) an error.
Result<std::string> StringField(const Json& obj, const std::string& origin, const std::string& path,
                                const char* key, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return Bad(origin, path + "." + key, "required field is missing");
    return std::string();
  }
  if (!it->is_string()) return Bad(origin, path + "." + key, "must be a string");
  std::string value = it->get<std::string>();
  if (required && value.empty()) return Bad(origin, path + "." + key, "must not be empty");
  return value;
}

Result<std::vector<std::string>> StringList(const Json& obj, const std::string& origin,
                                            const std::string& path, const char* key) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end()) return out;
  if (!it->is_array()) return Bad(origin, path + "." + key, "must be an array of strings");
  for (const Json& v : *it) {
    if (!v.is_string()) return Bad(origin, path + "." + key, "must hold strings only");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<std::map<std::string, std::string>> SectionMap(const Json& entry, const std::string& origin,
                                                      const std::string& path) {
  static const std::regex kRef("^§[0-9]+(\\.[0-9]+)*$");
  std::map<std::string, std::string> out;
  auto it = entry.find("section_map");
  if (it == entry.end()) return out;
  if (!it->is_object()) return Bad(origin, path + ".section_map", "must be an object");
  for (const auto& [from, to] : it->items()) {
    if (!std::regex_match(from, kRef)) {
      return Bad(origin, path + ".section_map", "key '" + from + "' is not a section such as §4.1");
    }
    if (!to.is_string() ||
        (!to.get<std::string>().empty() && !std::regex_match(to.get<std::string>(), kRef))) {
      return Bad(origin, path + ".section_map." + from, "must be a section such as §2, or \"\"");
    }
    out.emplace(from, to.get<std::string>());
  }
  return out;
}

// The counterpart of `section` ("6.1.2", no "§") through its longest listed
// prefix; nullopt when that prefix maps to "" or nothing is listed.
std::optional<std::string> MapSection(const std::map<std::string, std::string>& map,
                                      std::string key) {
  std::string rest;
  while (true) {
    if (auto it = map.find(std::string(kSection) + key); it != map.end()) {
      if (it->second.empty()) return std::nullopt;
      return it->second + rest;
    }
    const std::size_t dot = key.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    rest = key.substr(dot) + rest;
    key.resize(dot);
  }
}

// One reference run after a tag, up to the next ';' or tag: its sections
// mapped, each run of sections preceded by the tag it now belongs to.
std::string RewriteRun(std::string_view run, const RevisionEntry& from, const RevisionEntry& to) {
  std::string out;
  std::string active;  // the tag the text written so far is under
  std::size_t pos = 0;
  while (pos < run.size()) {
    const std::size_t at = run.find(kSection, pos);
    if (at == std::string_view::npos) break;
    std::size_t end = at + kSection.size();
    while (end < run.size() && (std::isalnum(static_cast<unsigned char>(run[end])) != 0 ||
                                (run[end] == '.' && end + 1 < run.size() &&
                                 std::isalnum(static_cast<unsigned char>(run[end + 1])) != 0))) {
      ++end;
    }
    const std::string key(run.substr(at + kSection.size(), end - at - kSection.size()));
    const std::optional<std::string> mapped = MapSection(to.section_map, key);
    const std::string& tag = mapped ? to.tag : from.tag;
    std::string text(run.substr(pos, at - pos));
    if (active.empty()) {
      out += tag + text;
    } else {
      out += text + (tag == active ? "" : tag + " ");
    }
    active = tag;
    out += mapped ? *mapped
                  : std::string(run.substr(at, end - at)) + " (no counterpart in " + to.id + ")";
    pos = end;
  }
  if (active.empty()) out += from.tag;
  out += run.substr(pos);
  return out;
}

}  // namespace

std::string MapSectionRefs(std::string_view source, const RevisionEntry& from,
                           const RevisionEntry& to) {
  if (from.tag.empty()) return std::string(source);
  std::string out;
  std::size_t pos = 0;
  while (pos <= source.size()) {
    const std::size_t tag = source.find(from.tag, pos);
    if (tag == std::string_view::npos) {
      out += source.substr(pos);
      break;
    }
    out += source.substr(pos, tag - pos);
    const std::size_t begin = tag + from.tag.size();
    std::size_t end = source.find_first_of(";[", begin);
    if (end == std::string_view::npos) end = source.size();
    out += RewriteRun(source.substr(begin, end - begin), from, to);
    pos = end;
  }
  return out;
}

Result<void> RevisionParser::Revisions(const Json& doc, const std::string& origin, Catalog& cat) {
  auto list = doc.find("revisions");
  if (list == doc.end()) {
    const RevisionInfo& info = RevisionOf(kDefaultRevision);
    RevisionEntry only;
    only.id = std::string(info.name);
    only.tag = std::string(info.tag);
    only.document = std::string(info.draft);
    only.is_default = true;
    cat.revisions_.push_back(std::move(only));
    cat.revision_ = cat.revisions_.front().id;
    return {};
  }
  if (!list->is_array() || list->empty()) {
    return Bad(origin, "revisions", "must be a non-empty array");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "revisions[" + std::to_string(i) + "]";
    const Json& r = (*list)[i];
    if (!r.is_object()) return Bad(origin, path, "must be an object");
    RevisionEntry out;
    TIGRESS_ASSIGN_OR_RETURN(out.id, StringField(r, origin, path, "id", true));
    const std::optional<Revision> known = ParseRevision(out.id);
    if (!known || RevisionOf(*known).name != out.id) {
      return Bad(origin, path + ".id",
                 "'" + out.id + "' is not a revision this build knows (" + RevisionNames() + ")");
    }
    TIGRESS_ASSIGN_OR_RETURN(out.tag, StringField(r, origin, path, "tag", true));
    if (out.tag != RevisionOf(*known).tag) {
      return Bad(origin, path + ".tag",
                 "'" + out.tag + "' is not the tag of " + out.id + " (" +
                     std::string(RevisionOf(*known).tag) + ")");
    }
    TIGRESS_ASSIGN_OR_RETURN(out.document, StringField(r, origin, path, "document", true));
    TIGRESS_ASSIGN_OR_RETURN(out.revision, StringField(r, origin, path, "revision", false));
    if (auto d = r.find("default"); d != r.end()) {
      if (!d->is_boolean()) return Bad(origin, path + ".default", "must be a boolean");
      out.is_default = d->get<bool>();
    }
    TIGRESS_ASSIGN_OR_RETURN(out.section_map, SectionMap(r, origin, path));
    if (cat.FindRevision(out.id) != nullptr) {
      return Bad(origin, path + ".id", "duplicate revision " + out.id);
    }
    if (out.is_default && !cat.revision_.empty()) {
      return Bad(origin, path + ".default", "a second default revision (" + cat.revision_ + ")");
    }
    if (out.is_default) cat.revision_ = out.id;
    cat.revisions_.push_back(std::move(out));
  }
  if (cat.revision_.empty()) return Bad(origin, "revisions", "no revision is the default");
  return {};
}

Result<std::map<std::string, RevisionOverride>> RevisionParser::Overrides(const Json& req,
                                                                          const std::string& path,
                                                                          const std::string& origin,
                                                                          const Catalog& cat) {
  std::map<std::string, RevisionOverride> out;
  auto it = req.find("revisions");
  if (it == req.end()) return out;
  if (!it->is_object()) return Bad(origin, path + ".revisions", "must be an object");
  for (const auto& [id, o] : it->items()) {
    const std::string p = path + ".revisions." + id;
    const RevisionEntry* rev = cat.FindRevision(id);
    if (rev == nullptr) {
      return Bad(origin, p, "unknown revision (" + cat.RevisionNames() + ")");
    }
    if (rev->is_default) {
      return Bad(origin, p, "the default revision is the entry itself; it takes no override");
    }
    if (!o.is_object()) return Bad(origin, p, "must be an object");
    RevisionOverride ov;
    TIGRESS_ASSIGN_OR_RETURN(std::string severity, StringField(o, origin, p, "severity", false));
    if (!severity.empty()) {
      ov.severity = ParseSeverityName(severity);
      if (!ov.severity) {
        return Bad(origin, p + ".severity",
                   "unknown severity '" + severity + "' (must|should|may|info)");
      }
    }
    TIGRESS_ASSIGN_OR_RETURN(ov.level, StringField(o, origin, p, "level", false));
    if (!ov.level.empty() && !IsKnownLevel(ov.level)) {
      return Bad(origin, p + ".level", "unknown level '" + ov.level + "'");
    }
    TIGRESS_ASSIGN_OR_RETURN(ov.level_text, StringField(o, origin, p, "level_text", false));
    TIGRESS_ASSIGN_OR_RETURN(ov.source, StringField(o, origin, p, "source", false));
    TIGRESS_ASSIGN_OR_RETURN(ov.note, StringField(o, origin, p, "note", true));
    if (auto refs = o.find("interpretation_refs"); refs != o.end()) {
      if (!refs->is_array()) return Bad(origin, p + ".interpretation_refs", "must be an array");
      std::vector<std::string> ids;
      for (const Json& ref : *refs) {
        if (!ref.is_string() || cat.FindInterpretation(ref.get<std::string>()) == nullptr) {
          return Bad(origin, p + ".interpretation_refs", "unknown interpretation " + ref.dump());
        }
        ids.push_back(ref.get<std::string>());
      }
      ov.interpretation_refs = std::move(ids);
    }
    out.emplace(id, std::move(ov));
  }
  return out;
}

Result<void> RevisionParser::Differences(const Json& doc, const std::string& origin, Catalog& cat) {
  static const std::regex kId("^REV-[0-9]{2}$");
  auto list = doc.find("differences");
  if (list == doc.end()) return {};
  if (!list->is_array()) return Bad(origin, "differences", "must be an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = "differences[" + std::to_string(i) + "]";
    const Json& d = (*list)[i];
    if (!d.is_object()) return Bad(origin, path, "must be an object");
    RevisionDifference out;
    TIGRESS_ASSIGN_OR_RETURN(out.id, StringField(d, origin, path, "id", true));
    path += " (" + out.id + ")";
    if (!std::regex_match(out.id, kId)) {
      return Bad(origin, path + ".id", "'" + out.id + "' is not of the form REV-nn");
    }
    for (const RevisionDifference& seen : cat.differences_) {
      if (seen.id == out.id) return Bad(origin, path + ".id", "duplicate difference ID");
    }
    auto sections = d.find("sections");
    if (sections == d.end() || !sections->is_object()) {
      return Bad(origin, path + ".sections", "required object is missing");
    }
    for (const auto& [rev, where] : sections->items()) {
      if (cat.FindRevision(rev) == nullptr) {
        return Bad(origin, path + ".sections." + rev,
                   "unknown revision (" + cat.RevisionNames() + ")");
      }
      if (!where.is_string()) return Bad(origin, path + ".sections." + rev, "must be a string");
      out.sections.emplace(rev, where.get<std::string>());
    }
    TIGRESS_ASSIGN_OR_RETURN(out.statement, StringField(d, origin, path, "statement", true));
    TIGRESS_ASSIGN_OR_RETURN(out.affects, StringList(d, origin, path, "affects"));
    for (const std::string& id : out.affects) {
      if (cat.Find(id) == nullptr) {
        return Bad(origin, path + ".affects", "names unknown requirement '" + id + "'");
      }
    }
    TIGRESS_ASSIGN_OR_RETURN(out.checked_by, StringList(d, origin, path, "checked_by"));
    cat.differences_.push_back(std::move(out));
  }
  return {};
}

const RevisionEntry* Catalog::FindRevision(std::string_view id) const {
  for (const RevisionEntry& r : revisions_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string Catalog::RevisionNames() const {
  std::string out;
  for (const RevisionEntry& r : revisions_) out += (out.empty() ? "" : ", ") + r.id;
  return out;
}

Result<Catalog> Catalog::ForRevision(std::string_view id) const {
  const RevisionEntry* target = FindRevision(id);
  if (target == nullptr) {
    return MakeError(Errc::kConfigInvalid, "unknown revision '" + std::string(id) +
                                               "' (accepted: " + RevisionNames() + ")");
  }
  if (target->id == revision_) return *this;
  const RevisionEntry* base = FindRevision(revision_);
  if (base == nullptr || !base->is_default) {
    return MakeError(Errc::kConfigInvalid, "the catalogue already reads as " + revision_ +
                                               "; turn the default revision to " + target->id);
  }
  Catalog out = *this;
  out.revision_ = target->id;
  for (Requirement& r : out.requirements_) {
    auto o = r.revisions.find(target->id);
    const RevisionOverride* ov = o == r.revisions.end() ? nullptr : &o->second;
    r.source = ov != nullptr && !ov->source.empty() ? ov->source
                                                    : MapSectionRefs(r.source, *base, *target);
    if (ov == nullptr) continue;
    if (ov->severity) r.severity = *ov->severity;
    if (!ov->level.empty()) r.level = r.level_text = ov->level;
    if (!ov->level_text.empty()) r.level_text = ov->level_text;
    if (ov->interpretation_refs) {
      r.interpretation_refs = *ov->interpretation_refs;
      r.interpretation = !r.interpretation_refs.empty();
    }
    r.revision_note = ov->note;
  }
  return out;
}

}  // namespace tigress::reports
