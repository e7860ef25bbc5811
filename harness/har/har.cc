// File: harness/har/har.cc
#include "harness/har/har.h"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "protocol/encoding.h"
#include "protocol/text.h"

namespace tigress::harness::har {
namespace {

using Json = nlohmann::json;

bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int more = 0;
    if (c < 0x80) {
      more = 0;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      more = 1;
    } else if ((c & 0xF0) == 0xE0) {
      more = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      more = 3;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(more) >= s.size() && more > 0) {
      return false;
    }
    for (int k = 1; k <= more; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += more + 1;
  }
  return true;
}

std::string IsoTime(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

Json HeaderList(const Headers& h) {
  Json a = Json::array();
  for (const auto& [k, v] : h) {
    a.push_back({{"name", k}, {"value", IsUtf8(v) ? v : Base64Encode(ToBytes(v))}});
  }
  return a;
}

std::string HeaderValue(const Headers& h, std::string_view name) {
  return text::FindHeader(h, name).value_or("");
}

Json QueryList(const std::string& url) {
  Json a = Json::array();
  auto q = url.find('?');
  if (q == std::string::npos) {
    return a;
  }
  std::string query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  std::size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    auto amp = query.find('&', pos);
    std::string part = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = part.find('=');
    std::string name = part.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (IsUtf8(name) && IsUtf8(value)) {
      a.push_back({{"name", name}, {"value", value}});
    }
    if (amp == std::string::npos) {
      break;
    }
    pos = amp + 1;
  }
  return a;
}

// A body as HAR text: itself when it is UTF-8, else base64 (flagged).
void PutText(Json& obj, const std::string& body) {
  if (IsUtf8(body)) {
    obj["text"] = body;
  } else {
    obj["text"] = Base64Encode(ToBytes(body));
    obj["encoding"] = "base64";
  }
}

Result<Headers> ReadHeaders(const Json& a, const std::string& where) {
  Headers out;
  if (a.is_null()) {
    return out;
  }
  if (!a.is_array()) {
    return MakeError(Errc::kTranscriptInvalid, where + " is not an array");
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Json& h = a[i];
    if (!h.is_object() || !h.contains("name") || !h["name"].is_string() || !h.contains("value") ||
        !h["value"].is_string()) {
      return MakeError(Errc::kTranscriptInvalid,
                       where + "[" + std::to_string(i) + "] needs string name and value");
    }
    out.emplace_back(h["name"].get<std::string>(), h["value"].get<std::string>());
  }
  return out;
}

Result<std::string> ReadText(const Json& obj, const std::string& where) {
  if (!obj.is_object() || !obj.contains("text") || !obj["text"].is_string()) {
    return std::string();
  }
  std::string text = obj["text"].get<std::string>();
  if (obj.value("encoding", "") == "base64") {
    auto b = Base64DecodeLenient(text);
    if (!b) {
      return MakeError(Errc::kTranscriptInvalid, where + ".text is marked base64 but is not");
    }
    return ToString(*b);
  }
  return text;
}

double Num(const Json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_number()) {
    double v = obj[key].get<double>();
    return v < 0 ? 0 : v;
  }
  return 0;
}

}  // namespace

std::string WriteHar(const Transcript& t) {
  Json entries = Json::array();
  for (const Exchange& e : t.exchanges) {
    Json req{{"method", e.method},
             {"url", e.url},
             {"httpVersion", e.http_version},
             {"cookies", Json::array()},
             {"headers", HeaderList(e.request_headers)},
             {"queryString", QueryList(e.url)},
             {"headersSize", -1},
             {"bodySize", static_cast<std::int64_t>(e.request_body.size())}};
    if (!e.request_body.empty()) {
      Json post{{"mimeType", HeaderValue(e.request_headers, "content-type")}};
      PutText(post, e.request_body);
      req["postData"] = post;
    }
    Json content{{"size", static_cast<std::int64_t>(e.response_body.size())},
                 {"mimeType", HeaderValue(e.response_headers, "content-type")}};
    PutText(content, e.response_body);
    Json resp{{"status", e.status},
              {"statusText", e.status_text},
              {"httpVersion", e.http_version},
              {"cookies", Json::array()},
              {"headers", HeaderList(e.response_headers)},
              {"content", content},
              {"redirectURL", HeaderValue(e.response_headers, "location")},
              {"headersSize", -1},
              {"bodySize", e.status == 0 ? -1 : static_cast<std::int64_t>(e.response_body.size())}};
    Json entry{{"startedDateTime", IsoTime(e.started_ms)},
               {"time", e.send_ms + e.wait_ms + e.receive_ms},
               {"request", req},
               {"response", resp},
               {"cache", Json::object()},
               {"timings", {{"send", e.send_ms}, {"wait", e.wait_ms}, {"receive", e.receive_ms}}}};
    if (!e.error.empty()) {
      entry["comment"] = e.error;
    }
    entries.push_back(std::move(entry));
  }
  Json doc{{"log",
            {{"version", "1.2"},
             {"creator", {{"name", "tigress-harness"}, {"version", t.creator_version}}},
             {"pages", Json::array()},
             {"entries", entries}}}};
  return doc.dump(2) + "\n";
}

Result<Transcript> ReadHar(std::string_view text) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return MakeError(Errc::kTranscriptInvalid, "not JSON");
  }
  if (!doc.is_object() || !doc.contains("log") || !doc["log"].is_object() ||
      !doc["log"].contains("entries") || !doc["log"]["entries"].is_array()) {
    return MakeError(Errc::kTranscriptInvalid, "log.entries is missing or not an array");
  }
  Transcript t;
  const Json& log = doc["log"];
  if (log.contains("creator") && log["creator"].is_object()) {
    t.creator_version = log["creator"].value("version", "");
  }
  const Json& entries = log["entries"];
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string at = "log.entries[" + std::to_string(i) + "]";
    const Json& en = entries[i];
    if (!en.is_object() || !en.contains("request") || !en["request"].is_object()) {
      return MakeError(Errc::kTranscriptInvalid, at + ".request is missing");
    }
    const Json& req = en["request"];
    if (!req.contains("method") || !req["method"].is_string() || !req.contains("url") ||
        !req["url"].is_string()) {
      return MakeError(Errc::kTranscriptInvalid, at + ".request needs string method and url");
    }
    Exchange e;
    e.method = req["method"].get<std::string>();
    e.url = req["url"].get<std::string>();
    e.http_version = req.value("httpVersion", "HTTP/1.1");
    TIGRESS_ASSIGN_OR_RETURN(e.request_headers,
                             ReadHeaders(req.value("headers", Json()), at + ".request.headers"));
    if (req.contains("postData")) {
      TIGRESS_ASSIGN_OR_RETURN(e.request_body, ReadText(req["postData"], at + ".request.postData"));
    }
    // An entry without a response (or without its status) is an exchange
    // nobody answered, as HAR writers other than ours leave it.
    const Json resp = en.value("response", Json::object());
    if (!resp.is_object() || (resp.contains("status") && !resp["status"].is_number_integer())) {
      return MakeError(Errc::kTranscriptInvalid, at + ".response.status is not an integer");
    }
    e.status = resp.value("status", 0);
    e.status_text = resp.value("statusText", "");
    TIGRESS_ASSIGN_OR_RETURN(e.response_headers,
                             ReadHeaders(resp.value("headers", Json()), at + ".response.headers"));
    if (resp.contains("content")) {
      TIGRESS_ASSIGN_OR_RETURN(e.response_body,
                               ReadText(resp["content"], at + ".response.content"));
    }
    const Json timings = en.value("timings", Json::object());
    e.send_ms = Num(timings, "send");
    e.wait_ms = Num(timings, "wait");
    e.receive_ms = Num(timings, "receive");
    e.error = en.value("comment", "");
    // startedDateTime is informative only; the epoch value is not recovered.
    t.exchanges.push_back(std::move(e));
  }
  return t;
}

Transcript CanonicalView(const Transcript& t, const RevisionInfo& revision) {
  Transcript out = t;
  for (Exchange& x : out.exchanges) {
    for (auto* headers : {&x.request_headers, &x.response_headers}) {
      for (auto& field : *headers) field.first = CanonicalHeaderName(revision, field.first);
    }
  }
  return out;
}

std::vector<std::pair<Revision, std::string>> SpokenRevisions(const Transcript& t) {
  std::vector<std::pair<Revision, std::string>> out;
  for (const Exchange& x : t.exchanges) {
    for (const auto& [name, value] : x.request_headers) {
      std::optional<Revision> r = ProtocolHeaderRevision(name);
      if (!r) continue;
      bool seen = false;
      for (const auto& [known, sent] : out) seen = seen || known == *r;
      if (!seen) out.emplace_back(*r, name);
    }
  }
  return out;
}

}  // namespace tigress::harness::har
