# Interface targets that carry the project's compile options, and a helper
# that keeps library targets uniform (one library per component).

add_library(tigress_options INTERFACE)
add_library(tigress::options ALIAS tigress_options)
target_compile_features(tigress_options INTERFACE cxx_std_20)
# Every target may state the project's version (reports, HAR creator, hello
# answers), so the generated header comes with the common options rather than
# with a dependency each component would have to remember.
include(TigressVersion)
target_link_libraries(tigress_options INTERFACE tigress::version)

add_library(tigress_warnings INTERFACE)
add_library(tigress::warnings ALIAS tigress_warnings)
# -Wnull-dereference only without optimisation: at -O2 GCC 12 reports false
# positives inside libstdc++'s own string, vector and optional.
target_compile_options(tigress_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual $<$<CONFIG:Debug>:-Wnull-dereference>
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation
  -Wduplicated-cond -Wlogical-op)
if(TIGRESS_WARNINGS_AS_ERRORS)
  target_compile_options(tigress_warnings INTERFACE -Werror)
  # With optimisation GCC 12 reports -Warray-bounds and -Wstringop-overflow
  # inside libstdc++'s std::string when temporaries are joined with +
  # (GCC bugs 105329, 105651): they stay warnings there, not errors.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(tigress_warnings INTERFACE
      $<$<NOT:$<CONFIG:Debug>>:-Wno-error=array-bounds -Wno-error=stringop-overflow>)
  endif()
endif()

if(TIGRESS_SANITIZE)
  string(REPLACE "," ";" _tigress_sanitizers "${TIGRESS_SANITIZE}")
  foreach(s IN LISTS _tigress_sanitizers)
    if(NOT s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "TIGRESS_SANITIZE: unknown sanitizer '${s}'")
    endif()
  endforeach()
  if("thread" IN_LIST _tigress_sanitizers AND "address" IN_LIST _tigress_sanitizers)
    message(FATAL_ERROR "TIGRESS_SANITIZE: thread and address cannot be combined")
  endif()
  target_compile_options(tigress_options INTERFACE
    -fsanitize=${TIGRESS_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(tigress_options INTERFACE -fsanitize=${TIGRESS_SANITIZE})
  if("thread" IN_LIST _tigress_sanitizers)
    target_compile_options(tigress_warnings INTERFACE -Wno-tsan)
  endif()
endif()

if(TIGRESS_CLANG_TIDY)
  find_program(TIGRESS_CLANG_TIDY_EXE NAMES clang-tidy-14 clang-tidy REQUIRED)
  set(CMAKE_CXX_CLANG_TIDY ${TIGRESS_CLANG_TIDY_EXE})
endif()

# tigress_add_library(NAME name SRCS ... DEPS ... [PUBLIC_DEPS ...])
# Creates `tigress_<name>` with alias `tigress::<name>`, includes rooted at the
# repository so headers are included as "protocol/payload.h".
#
# Precompiled headers: every library and executable reuses one precompiled
# header of the standard library, nlohmann/json and CLI11 (tigress_pch), and
# every test binary one that adds GoogleTest (tigress_test_pch). At -O0 most of
# a TU's time is instantiating and emitting templates, so this saves about a
# fifth of the build, not more (measured per TU; docs/architecture.md). The
# clang-tidy preset builds without them, so a missing #include still fails
# there. -Winvalid-pch (an error under -Werror) catches a target whose flags
# drift from the header's: it would otherwise silently parse everything again.
set(TIGRESS_PCH_HEADERS <algorithm> <chrono> <cstdint> <filesystem> <functional> <map>
  <memory> <mutex> <optional> <set> <sstream> <string> <string_view> <utility> <variant>
  <vector> <nlohmann/json.hpp>)
if(TIGRESS_CLANG_TIDY)
  set(CMAKE_DISABLE_PRECOMPILE_HEADERS ON)
endif()

# tigress_pch_target(name HEADERS ... DEPS ...): an empty library that owns a
# precompiled header the other targets reuse.
function(tigress_pch_target name)
  cmake_parse_arguments(ARG "" "" "HEADERS;DEPS" ${ARGN})
  set(anchor ${CMAKE_BINARY_DIR}/${name}.cc)
  if(NOT EXISTS ${anchor})
    file(WRITE ${anchor} "// The translation unit that owns ${name}'s precompiled header.\n")
  endif()
  add_library(${name} STATIC ${anchor})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} tigress::options tigress::warnings)
  target_compile_options(${name} PRIVATE -Winvalid-pch)
  target_precompile_headers(${name} PRIVATE ${ARG_HEADERS})
endfunction()
tigress_pch_target(tigress_pch HEADERS ${TIGRESS_PCH_HEADERS} <CLI/CLI.hpp>
  DEPS nlohmann_json::nlohmann_json CLI11::CLI11)

function(tigress_use_pch target pch)
  if(NOT CMAKE_DISABLE_PRECOMPILE_HEADERS)
    target_precompile_headers(${target} REUSE_FROM ${pch})
    target_compile_options(${target} PRIVATE -Winvalid-pch)
  endif()
endfunction()

function(tigress_add_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(tigress_${ARG_NAME} STATIC ${ARG_SRCS})
  tigress_use_pch(tigress_${ARG_NAME} tigress_pch)
  add_library(tigress::${ARG_NAME} ALIAS tigress_${ARG_NAME})
  target_include_directories(tigress_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(tigress_${ARG_NAME}
    PUBLIC ${ARG_PUBLIC_DEPS} tigress::options
    PRIVATE ${ARG_DEPS} tigress::warnings)
endfunction()

# tigress_add_executable(NAME name SRCS ... DEPS ...)
function(tigress_add_executable)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  tigress_use_pch(${ARG_NAME} tigress_pch)
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} tigress::options tigress::warnings)
endfunction()

# What every test binary (and so its precompiled header) is compiled with.
function(tigress_test_definitions target)
  target_compile_definitions(${target} PRIVATE
    TIGRESS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TIGRESS_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
endfunction()

# tigress_add_test(NAME name SRCS ... DEPS ... [LABELS ...])
# One GoogleTest binary; every test in it is registered with ctest.
function(tigress_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  if(NOT TARGET tigress_test_pch)
    tigress_pch_target(tigress_test_pch
      HEADERS ${TIGRESS_PCH_HEADERS} <fstream> <regex> <thread> <gtest/gtest.h> <gmock/gmock.h>
      DEPS GTest::gmock nlohmann_json::nlohmann_json)
    tigress_test_definitions(tigress_test_pch)
  endif()
  tigress_use_pch(${ARG_NAME} tigress_test_pch)
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main
    tigress::options tigress::warnings)
  tigress_test_definitions(${ARG_NAME})
  include(GoogleTest)
  # ctest starts the costliest tests first; without timings of an earlier run
  # (a fresh clone) it would reach the end-to-end ones, the longest, last.
  set(cost 1)
  if("e2e" IN_LIST ARG_LABELS)
    set(cost 100)
  endif()
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300 COST ${cost})
endfunction()
