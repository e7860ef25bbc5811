// File: reports/catalog_revisions.h
//
// Internal to the catalogue loader (reports/requirements.cc): reading the
// `revisions` array, each requirement's `revisions` overrides and the
// `differences` array of vectors/requirements.json. Include only from
// reports/requirements.cc and reports/catalog_revisions.cc.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/result.h"
#include "reports/requirements.h"

namespace tigress::reports {

// `RevisionParser` fills the revision members of a `Catalog` being parsed.
// `origin` prefixes every error detail, as in `Catalog::Parse`; errors are
// kConfigInvalid naming the JSON path.
struct RevisionParser {
  // The `revisions` array (before the requirements): known ids and tags
  // (protocol/revision.h), exactly one default, well-formed section maps;
  // without the array, the default revision alone. Sets the catalogue's
  // revision to the default.
  static Result<void> Revisions(const nlohmann::json& doc, const std::string& origin, Catalog& cat);

  // A requirement's `revisions` member at `path`: keys are non-default
  // revisions of `cat`, values {severity?, level?, level_text?, source?, note}.
  static Result<std::map<std::string, RevisionOverride>> Overrides(const nlohmann::json& req,
                                                                   const std::string& path,
                                                                   const std::string& origin,
                                                                   const Catalog& cat);

  // The `differences` array (after the requirements): REV-nn ids, unique;
  // sections keyed by known revisions; `affects` naming known requirements.
  static Result<void> Differences(const nlohmann::json& doc, const std::string& origin,
                                  Catalog& cat);
};

}  // namespace tigress::reports
