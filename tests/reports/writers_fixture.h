// Shared by the report writer tests: the committed requirement catalogue,
// loaded once per test binary.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/writers.h"
#include "tests/reports/sample_run.h"

namespace tigress::reports {

inline const Catalog& TheCatalogue() {
  static const Catalog cat =
      LoadCatalog(std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json").value();
  return cat;
}

}  // namespace tigress::reports
