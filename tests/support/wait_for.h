// File: tests/support/wait_for.h
//
// `WaitFor` polls a condition until it holds or a bound passes, for the few
// things a test cannot await as an event (another process's file, a log
// line, a process that re-parented to init). Header-only so that the
// GoogleTest-free part of the test support (used by bench/) needs no gtest.
//
//   EXPECT_TRUE(WaitFor([&] { return Stderr().find("swept") != npos; }, 10s, "the sweep"))
//       << Stderr();
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>

namespace tigress::test_support {

// `WaitFor` calls `condition` until it returns true or `within` has passed,
// pausing between calls (1 ms at first, doubling up to 50 ms). It checks once
// more after the bound, so a condition that holds at the end is a success.
// The failure names `what` and the bound.
template <typename Condition>
::testing::AssertionResult WaitFor(Condition&& condition, std::chrono::milliseconds within,
                                   std::string_view what = "the condition") {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::chrono::milliseconds pause(1);
  int checks = 0;
  for (;;) {
    ++checks;
    if (condition()) return ::testing::AssertionSuccess();
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    std::this_thread::sleep_for(std::min(pause, left));
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return ::testing::AssertionFailure() << std::string(what) << " did not hold within "
                                       << within.count() << " ms (" << checks << " checks)";
}

}  // namespace tigress::test_support
