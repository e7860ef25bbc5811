// The http step: one probe request to the relay, judged on its answer.
#include <algorithm>
#include <sstream>

#include "harness/run/evidence.h"
#include "harness/run/step_executor.h"
#include "harness/scenario/matchers.h"
#include "protocol/text.h"

namespace tigress::harness {

using Json = nlohmann::json;
using reports::Assertion;
using reports::Verdict;
using namespace std::chrono_literals;

namespace {

// The request the step describes, its templates resolved.
Result<HttpRequest> BuildRequest(const Step& st, VarContext& vars, const StepContext& cx) {
  const HttpAction& act = st.As<HttpAction>();
  HttpRequest req;
  req.method = act.method;
  if (!act.path.empty()) {
    TIGRESS_ASSIGN_OR_RETURN(std::string p, InterpolateString(act.path, vars));
    req.url = cx.relay_url + p;
  } else {
    TIGRESS_ASSIGN_OR_RETURN(std::string u, InterpolateString(act.url, vars));
    req.url = StripFragment(u);
    // Probe requests are the harness's own, not evidence about a device: a
    // URL on the recording proxy (a urlLink) goes to the relay directly.
    if (cx.proxy != nullptr) {
      const std::string public_url = cx.proxy->base_url();
      if (req.url.rfind(public_url, 0) == 0) {
        req.url = cx.relay_url + req.url.substr(public_url.size());
      }
    }
  }
  bool has_ct = false;
  for (const auto& [k, v] : act.headers) {
    TIGRESS_ASSIGN_OR_RETURN(std::string val, InterpolateString(v, vars));
    has_ct = has_ct || text::EqualsIgnoreCase(k, "content-type");
    req.headers.emplace_back(act.literal_headers ? k : WireHeaderName(*cx.revision, k),
                             std::move(val));
  }
  if (act.body) {
    TIGRESS_ASSIGN_OR_RETURN(Json b, Interpolate(*act.body, vars));
    if (act.body->is_string()) {
      req.body = b.is_string() ? b.get<std::string>() : b.dump();
    } else {
      req.body = b.dump();
      if (!has_ct && act.as == "device") {
        req.headers.emplace_back("Content-Type", "application/json");
      }
    }
  }
  req.timeout = act.timeout_ms > 0 ? std::chrono::milliseconds(act.timeout_ms) : cx.http_timeout;
  req.chunk_size = act.slow_chunk;
  req.chunk_pause = std::chrono::milliseconds(act.slow_pause_ms);
  req.abort_after = act.abandon_after;
  req.connect_only = std::chrono::milliseconds(act.connect_only_ms);
  req.tls_max = act.tls_max;
  return req;
}

// The step as executed, for resolved.yaml.
Json ResolvedHttp(const Step& st, const std::string& where, const HttpRequest& req) {
  const HttpAction& act = st.As<HttpAction>();
  Json resolved{{"step", where},
                {"http", {{"as", act.as}, {"method", req.method}, {"url", req.url}}}};
  Json hdrs = Json::object();
  for (const auto& [k, v] : RedactHeaders(req.headers)) {
    hdrs[k] = v;
  }
  resolved["http"]["headers"] = hdrs;
  if (req.body) {
    resolved["http"]["body"] = Truncate(*req.body, 1024);
  }
  return resolved;
}

reports::HttpExcerpt RequestExcerpt(const Step& st, const HttpRequest& req) {
  const HttpAction& act = st.As<HttpAction>();
  reports::HttpExcerpt ex;
  ex.vantage = "probe (" + act.as + ") -> relay";
  ex.request_line = req.method + " " + TargetOf(req.url) + " HTTP/1.1";
  ex.request_headers = RedactHeaders(req.headers);
  if (req.body) {
    ex.request_body = Truncate(*req.body);
  }
  return ex;
}

std::string RequestLog(const Step& st, const std::string& where, const HttpRequest& req,
                       const reports::HttpExcerpt& ex) {
  const HttpAction& act = st.As<HttpAction>();
  std::ostringstream log;
  log << "=== " << where << " (" << act.as << ")\n> " << ex.request_line << "\n";
  for (const auto& [k, v] : ex.request_headers) {
    log << "> " << k << ": " << v << "\n";
  }
  if (req.body) {
    log << ">\n" << Truncate(*req.body, 4096) << "\n";
  }
  return log.str();
}

std::string ResponseLog(const HttpResponse& resp) {
  std::ostringstream log;
  log << "< " << resp.http_version << " " << resp.status << " ("
      << static_cast<long>(resp.elapsed_ms) << " ms)\n";
  for (const auto& [k, v] : resp.headers) {
    log << "< " << k << ": " << v << "\n";
  }
  log << "<\n" << Truncate(resp.body, 4096) << "\n";
  if (!resp.transport_note.empty()) {
    log << "! " << resp.transport_note << "\n";
  }
  return log.str() + "\n";
}

// A step that lists status 0 expects that no response may arrive (a closed
// connection is the only sane answer to some hostile requests).
bool AcceptsNoResponse(const Step& st) {
  return std::any_of(st.expect.begin(), st.expect.end(), [](const Expectation& e) {
    return e.subject == Expectation::Subject::kStatus &&
           std::find(e.codes.begin(), e.codes.end(), 0) != e.codes.end();
  });
}

// No response and none allowed: the step broke (and stops the case).
void NoResponse(const Step& st, const std::string& where, const HttpRequest& req,
                const reports::HttpExcerpt& ex, const Error& error, std::string log,
                StepContext& cx, StepResult& r) {
  log += "! " + error.Message() + "\n\n";
  r.stop = true;
  // SEC-01: a relay that cannot do TLS because it serves plain HTTP on its
  // port breaks the requirement; that is the relay's failure, not the run's.
  if (std::string plain = PlainHttpAnswer(cx.http, req.url); !plain.empty()) {
    cx.log.AppendHttp(log + "! the same port answers plain HTTP: " + plain + "\n\n");
    Assertion a = Broke(Verdict::kFail, "SEC-01",
                        where + ": " + error.Message() + "; the same port answers plain HTTP (" +
                            plain + "): the relay does not accept only TLS connections");
    a.expected = "a TLS handshake";
    a.actual = "plain HTTP: " + plain;
    a.evidence.http.push_back(ex);
    r.extra.push_back(std::move(a));
    return;
  }
  cx.log.AppendHttp(log);
  std::string msg = where + ": " + error.Message();
  if (const std::string down = cx.relay_down(); !down.empty()) {
    msg += "; the relay " + down;
  }
  Assertion a = Broke(Verdict::kError, cx.DefaultReq(st), msg);
  a.evidence.http.push_back(ex);
  r.extra.push_back(std::move(a));
}

// The document `save:` paths read: status, headers (lower-case names), body,
// json, and all of it again under "response".
Json ResponseDocument(const HttpResponse& resp, const Json& body_json, bool is_json) {
  Json headers_obj = Json::object();
  for (const auto& [k, v] : resp.headers) {
    headers_obj[text::ToLowerAscii(k)] = v;
  }
  Json doc{{"status", resp.status},
           {"headers", headers_obj},
           {"body", resp.body},
           {"json", is_json ? body_json : Json(nullptr)}};
  doc["response"] = doc;
  return doc;
}

}  // namespace

StepResult ExecHttp(const Step& st, VarContext& vars, const std::string& where, StepContext& cx) {
  const HttpAction& act = st.As<HttpAction>();
  StepResult r;
  r.http = true;
  auto req = BuildRequest(st, vars, cx);
  if (!req) {
    Unresolved(cx, st, where, req.error(), r);
    return r;
  }
  cx.log.AddResolvedStep(ResolvedHttp(st, where, *req));
  reports::HttpExcerpt ex = RequestExcerpt(st, *req);
  cx.oracle.NoteContent(req->body);
  auto resp = cx.http.Send(*req);
  std::string log = RequestLog(st, where, *req, ex);
  if (!resp && AcceptsNoResponse(st)) {
    // The transport failure becomes status 0, judged like any status.
    log += "! " + resp.error().Message() + " (no response: status 0)\n";
    resp = HttpResponse{};
  }
  if (!resp) {
    NoResponse(st, where, *req, ex, resp.error(), std::move(log), cx, r);
    return r;
  }
  cx.log.AppendHttp(log + ResponseLog(*resp));

  ex.status = resp->status;
  ex.response_headers = resp->headers;
  ex.response_body = Truncate(resp->body);
  r.status = resp->status;
  const Json body_json = Json::parse(resp->body, nullptr, false);
  const bool is_json = !body_json.is_discarded();
  const HttpView view{resp->status, &resp->headers, &resp->body, is_json ? &body_json : nullptr};
  reports::Evidence evidence;
  evidence.http.push_back(ex);
  JudgeExpectations(
      st, where, "",
      [&view](const Expectation& e, const Json& operand) { return MatchHttp(e, view, operand); },
      evidence, vars, cx, r);
  if (resp->status >= 200 && resp->status < 300) {
    for (const auto& [var, tmpl] : act.if_accepted) {
      auto value = Interpolate(tmpl, vars);
      if (!value) {
        Unresolved(cx, st, where, value.error(), r);
        return r;
      }
      vars.Set(var, *value);
    }
  }
  SaveValues(cx, st, ResponseDocument(*resp, body_json, is_json), vars, r);
  return r;
}

std::string PlainHttpAnswer(const HttpTransport& http, const std::string& url) {
  static constexpr std::string_view kHttps = "https://";
  if (url.rfind(kHttps, 0) != 0) {
    return "";
  }
  const std::size_t end = url.find_first_of("/?#", kHttps.size());
  std::string authority = url.substr(kHttps.size(), end - kHttps.size());
  // Without a port the TLS port is 443, not plain HTTP's 80.
  const std::size_t colon = authority.rfind(':');
  if (colon == std::string::npos || authority.find(']', colon) != std::string::npos) {
    authority += ":443";
  }
  HttpRequest plain;
  plain.url = "http://" + authority + "/";
  plain.timeout = 2s;
  auto resp = http.Send(plain);
  // A bare 400 is how some TLS servers turn plain HTTP away (nginx): no
  // request is processed, so SEC-01 holds (as relay/tls-only accepts it).
  if (!resp || resp->status <= 0 || resp->status == 400) {
    return "";
  }
  return (resp->http_version.empty() ? std::string("HTTP") : resp->http_version) + " " +
         std::to_string(resp->status);
}

}  // namespace tigress::harness
