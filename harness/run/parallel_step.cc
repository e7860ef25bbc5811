// The parallel step: lanes of steps released together so their requests
// really race, their checks merged per expectation.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "harness/run/step_executor.h"
#include "harness/scenario/matchers.h"

namespace tigress::harness {

using reports::Assertion;
using reports::Verdict;

namespace {

struct Lane {
  std::vector<const Step*> steps;
  std::unique_ptr<VarContext> vars;
  std::vector<StepResult> results;
};

// `repeat` > 0: that many lanes of all the steps; else one lane per step.
// Each lane has its own child of the case's variables.
std::vector<Lane> MakeLanes(const ParallelAction& group, VarContext& vars) {
  std::vector<Lane> lanes;
  const int count = group.repeat > 0 ? group.repeat : static_cast<int>(group.steps.size());
  for (int i = 0; i < count; ++i) {
    Lane l;
    if (group.repeat > 0) {
      for (const auto& s : group.steps) {
        l.steps.push_back(&s);
      }
    } else {
      l.steps.push_back(&group.steps[static_cast<std::size_t>(i)]);
    }
    l.vars = std::make_unique<VarContext>(vars.Child(i));
    lanes.push_back(std::move(l));
  }
  return lanes;
}

// Runs every lane on its own thread, all released at once; a lane stops at
// its first step that stops.
void RunLanes(std::vector<Lane>& lanes, StepContext& cx) {
  std::mutex mu;
  std::condition_variable cv;
  std::size_t ready = 0;
  bool go = false;
  std::vector<std::thread> threads;
  for (std::size_t li = 0; li < lanes.size(); ++li) {
    threads.emplace_back([&, li] {
      {
        std::unique_lock<std::mutex> lock(mu);
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      Lane& lane = lanes[li];
      for (const Step* s : lane.steps) {
        StepResult sr =
            ExecuteStep(*s, *lane.vars, s->where + " (lane " + std::to_string(li) + ")", cx);
        const bool stop = sr.stop;
        lane.results.push_back(std::move(sr));
        if (stop) {
          break;
        }
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ready == lanes.size(); });
    go = true;
    cv.notify_all();
  }
  for (auto& t : threads) {
    t.join();
  }
}

// One assertion per expectation saying how many lanes met it, the worst
// lane's as its verdict and message.
Assertion MergeLanes(const std::vector<Assertion>& list) {
  std::size_t bad = 0;
  const Assertion* worst = &list.front();
  for (const auto& a : list) {
    if (a.verdict != Verdict::kPass) {
      ++bad;
    }
    if (reports::VerdictRank(a.verdict) > reports::VerdictRank(worst->verdict)) {
      worst = &a;
    }
  }
  Assertion merged = *worst;
  merged.message =
      (bad == 0 ? "all " + std::to_string(list.size()) + " lanes: "
                : std::to_string(bad) + " of " + std::to_string(list.size()) + " lanes failed: ") +
      worst->message;
  return merged;
}

}  // namespace

StepResult ExecParallel(const Step& st, VarContext& vars, const std::string& /*where*/,
                        StepContext& cx) {
  std::vector<Lane> lanes = MakeLanes(st.As<ParallelAction>(), vars);
  RunLanes(lanes, cx);
  StepResult r;
  std::vector<int> statuses;
  std::map<const Expectation*, std::vector<Assertion>> by_exp;
  std::vector<const Expectation*> order;
  for (auto& lane : lanes) {
    for (auto& sr : lane.results) {
      for (auto& [e, a] : sr.checks) {
        if (!by_exp.contains(e)) {
          order.push_back(e);
        }
        by_exp[e].push_back(std::move(a));
      }
      for (auto& a : sr.extra) {
        if (r.extra.size() < 3) {
          r.extra.push_back(std::move(a));
        }
      }
      if (sr.http) {
        statuses.push_back(sr.status);
      }
    }
  }
  for (const Expectation* e : order) {
    r.checks.emplace_back(e, MergeLanes(by_exp[e]));
  }
  // The group's own expectations count the lanes' statuses.
  for (const Expectation& e : st.expect) {
    MatchResult m = MatchCount(e, statuses);
    r.checks.emplace_back(
        &e, cx.Judge(&st, e.req, m.ok, ExpectationToString(e) + " [" + st.where + "]", m.expected,
                     m.actual, e.interpretation_refs));
  }
  // A parallel group's lanes do not stop the case unless the harness broke.
  r.stop = std::any_of(r.extra.begin(), r.extra.end(), [](const Assertion& a) {
    return a.verdict == Verdict::kError || a.verdict == Verdict::kTimeout;
  });
  return r;
}

}  // namespace tigress::harness
