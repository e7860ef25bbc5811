// The small step kinds: wait, hostile (the proxy's mode), restart (a device)
// and push (webhooks the proxy received).
#include <cstdint>

#include "harness/run/step_executor.h"
#include "protocol/encoding.h"

namespace tigress::harness {

using reports::Assertion;
using reports::Verdict;
using namespace std::chrono_literals;

StepResult ExecWait(const Step& st, VarContext& /*vars*/, const std::string& /*where*/,
                    StepContext& cx) {
  cx.clock.SleepFor(std::chrono::milliseconds(st.As<WaitAction>().ms));
  return {};
}

StepResult ExecHostile(const Step& st, VarContext& /*vars*/, const std::string& where,
                       StepContext& cx) {
  StepResult r;
  if (cx.proxy == nullptr) {
    r.extra.push_back(Broke(Verdict::kError, cx.DefaultReq(st),
                            where + ": hostile needs the relay role (the recording proxy)"));
    r.stop = true;
  } else if (auto set = cx.proxy->SetHostile(st.As<HostileAction>().mode); !set) {
    r.extra.push_back(
        Broke(Verdict::kError, cx.DefaultReq(st), where + ": " + set.error().Message()));
    r.stop = true;
  }
  return r;
}

StepResult ExecRestart(const Step& st, VarContext& /*vars*/, const std::string& where,
                       StepContext& cx) {
  StepResult r;
  const Role role = st.As<RestartAction>().role;
  const DeviceLookup back = cx.adapters.Restart(role, where);
  if (back.device == nullptr) {
    r.extra.push_back(
        Broke(back.start_verdict, cx.DefaultReq(st),
              where + ": the " + RoleName(role) +
                  " adapter did not come back after the restart: " + back.start_error));
    r.stop = true;
  }
  return r;
}

namespace {

// The pushes that reached `url` within `within_ms` (all of them once `count`
// arrived; `count` 0 waits the whole time). The relay notifies from its own
// thread, after answering: polling the proxy is the only way to see it.
std::vector<har::Exchange> AwaitPushes(StepContext& cx, const std::string& url, std::int64_t count,
                                       std::int64_t within_ms) {
  auto arrived = [&] {
    std::vector<har::Exchange> at;
    for (auto& p : cx.proxy->Pushes()) {
      if (p.url == url) at.push_back(std::move(p));
    }
    return at;
  };
  const auto deadline = cx.clock.Now() + std::chrono::milliseconds(within_ms);
  std::vector<har::Exchange> got = arrived();
  while (cx.clock.Now() < deadline &&
         (count == 0 || static_cast<std::int64_t>(got.size()) < count)) {
    cx.clock.SleepFor(20ms);
    got = arrived();
  }
  return got;
}

// PRIV-10: a push only signals a change; it must not carry what the relay
// was given (payload data, display text, Secrets).
Assertion JudgePushContent(const StepContext& cx, const har::Exchange& p,
                           const std::vector<std::string>& forbidden, const std::string& where,
                           const std::string& shown) {
  std::string leaked;
  for (const std::string& c : forbidden) {
    if (p.request_body.find(c) != std::string::npos || p.url.find(c) != std::string::npos) {
      leaked = c;
      break;
    }
  }
  return cx.Judge(nullptr, "PRIV-10", leaked.empty(),
                  where + ": the push to " + shown + " (" + std::to_string(p.request_body.size()) +
                      "-octet body) " +
                      (leaked.empty() ? "carries no payload, display text or Secret"
                                      : "carries content the relay was given: " + Redact(leaked)),
                  "a notification that only signals a change",
                  leaked.empty() ? "no content" : "content in the push", {});
}

}  // namespace

StepResult ExecPush(const Step& st, VarContext& vars, const std::string& where, StepContext& cx) {
  StepResult r;
  const PushAction& push = st.As<PushAction>();
  const std::string& req = st.req.empty() ? std::string("RELAY-50") : st.req;
  auto url = InterpolateString(push.url, vars);
  if (!url || cx.proxy == nullptr) {
    r.extra.push_back(Broke(
        Verdict::kError, req,
        where + ": " + (url ? "no recording proxy to receive pushes" : url.error().Message())));
    r.stop = true;
    return r;
  }
  const std::vector<har::Exchange> got = AwaitPushes(cx, *url, push.count, push.within_ms);
  const std::string shown = Redact(url->substr(cx.proxy->push_url().size()));
  r.extra.push_back(cx.Judge(&st, req, static_cast<std::int64_t>(got.size()) == push.count,
                             where + ": " + std::to_string(got.size()) + " push(es) to the token " +
                                 shown + " within " + std::to_string(push.within_ms) + " ms",
                             std::to_string(push.count) + " push(es)",
                             std::to_string(got.size()) + " push(es)", {}));
  const std::vector<std::string> forbidden = cx.oracle.PushForbidden();
  for (const har::Exchange& p : got) {
    r.extra.push_back(JudgePushContent(cx, p, forbidden, where, shown));
  }
  return r;
}

}  // namespace tigress::harness
