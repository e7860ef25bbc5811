// File: harness/run/run_shared.h
//
// What the cases of one run share, each part behind its own lock: the run's
// redaction (every Secret any case saw), what each implementation's adapter
// said in `hello`, and the run-wide (key, IV) oracle.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "harness/config/manifest.h"
#include "harness/oracles/oracles.h"
#include "harness/process/adapter_client.h"
#include "harness/run/diagnosis.h"
#include "harness/run/run_options.h"
#include "protocol/encoding.h"
#include "reports/redaction.h"
#include "reports/requirements.h"

namespace tigress::harness {

// `SharedRedaction` is the run's redaction guard, safe across cases.
class SharedRedaction {
 public:
  void AddSecret(const Bytes& secret) {
    std::lock_guard<std::mutex> lock(mu_);
    guard_.AddSecret(secret);
  }
  std::string Apply(std::string_view text) const {
    std::lock_guard<std::mutex> lock(mu_);
    return guard_.Apply(text);
  }
  // `Locked` runs `f` while no Secret is being added, for readers that hold
  // the guard itself (the progress printer).
  template <typename F>
  void Locked(F&& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    f();
  }
  // The guard itself, for readers that hold it when no case runs.
  const reports::RedactionGuard& guard() const { return guard_; }

 private:
  mutable std::mutex mu_;
  reports::RedactionGuard guard_;
};

// `HelloRegistry` keeps the first `hello` of each implementation's adapter.
class HelloRegistry {
 public:
  void Add(const std::string& manifest_name, const HelloInfo& hello) {
    std::lock_guard<std::mutex> lock(mu_);
    hellos_.emplace(manifest_name, hello);
  }
  std::optional<HelloInfo> Find(const std::string& manifest_name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = hellos_.find(manifest_name);
    return it == hellos_.end() ? std::nullopt : std::optional<HelloInfo>(it->second);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, HelloInfo> hellos_;
};

// `SharedIvLedger` is the run-wide (key, IV) oracle, safe across cases.
class SharedIvLedger {
 public:
  std::vector<Finding> Add(const std::string& case_id, const OracleInput& in) {
    std::lock_guard<std::mutex> lock(mu_);
    return ledger_.Add(case_id, in);
  }

 private:
  std::mutex mu_;
  IvLedger ledger_;
};

struct RunShared {
  RunShared(const RunOptions& o, const reports::Catalog& c) : opt(o), catalog(c) {}
  const RunOptions& opt;
  const reports::Catalog& catalog;  // as the catalogue's default revision reads it
  // The catalogue as each other revision the run's cases speak reads it
  // (reports::Catalog::ForRevision); filled before the first case.
  std::map<Revision, reports::Catalog> revision_catalogs;

  // `CatalogFor` is the catalogue a case of revision `r` is judged with.
  const reports::Catalog& CatalogFor(Revision r) const {
    auto it = revision_catalogs.find(r);
    return it == revision_catalogs.end() ? catalog : it->second;
  }
  // Set before the first case starts.
  std::filesystem::path run_dir;
  std::string ca_file, cert_file, key_file;
  SharedRedaction redaction;
  HelloRegistry hellos;
  SharedIvLedger iv_ledger;
  // Which revision implementations appear to speak (harness/run/diagnosis.h);
  // `announce` prints a new line at once (set by the runner; may be empty).
  Diagnosis diagnosis;
  std::function<void(const std::string&)> announce;

  // `Diagnose` keeps `line` and announces it the first time it is seen.
  void Diagnose(const std::string& line) {
    if (diagnosis.Add(line) && announce) announce(line);
  }

  // `PlaceholdersFor` is what every process of a case is started with: the
  // manifest's root, the run's certificate files, its own work directory and
  // the bin directory (the caller adds port and URLs).
  Placeholders PlaceholdersFor(const Manifest& m, const std::filesystem::path& workdir) const {
    Placeholders ph;
    ph.root = m.root.string();
    ph.cert = cert_file;
    ph.key = key_file;
    ph.ca = ca_file;
    ph.workdir = workdir.string();
    ph.bindir = opt.bindir.string();
    return ph;
  }
};

}  // namespace tigress::harness
