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
function(tigress_add_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(tigress_${ARG_NAME} STATIC ${ARG_SRCS})
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
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} tigress::options tigress::warnings)
endfunction()

# tigress_add_test(NAME name SRCS ... DEPS ... [LABELS ...])
# One GoogleTest binary; every test in it is registered with ctest.
function(tigress_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main
    tigress::options tigress::warnings)
  target_compile_definitions(${ARG_NAME} PRIVATE
    TIGRESS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TIGRESS_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
  include(GoogleTest)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
