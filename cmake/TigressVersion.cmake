# `tigress::version`: the generated header "tigress/version.h" with the
# project's VERSION as `tigress::kVersion`. It lives in the build tree so the
# source tree holds no copy of the number.
set(TIGRESS_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
  ${TIGRESS_GENERATED_DIR}/tigress/version.h @ONLY)

add_library(tigress_version INTERFACE)
add_library(tigress::version ALIAS tigress_version)
target_include_directories(tigress_version INTERFACE ${TIGRESS_GENERATED_DIR})
