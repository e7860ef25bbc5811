// One expectation: the common keys (req, interpretation, note), then one
// function per subject, then the operator. The order of the checks is the
// order the errors are reported in.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <regex>
#include <set>

#include "harness/config/yaml_util.h"
#include "harness/scenario/loader_internal.h"
#include "harness/scenario/vars.h"

namespace tigress::harness::internal {
namespace {

using Subject = Expectation::Subject;
using Op = Expectation::Op;

class ExpectationReader {
 public:
  ExpectationReader(const LoadContext& cx, const YAML::Node& n, Step::Kind kind,
                    const DefinedVars& defined)
      : cx_(cx), doc_(cx.doc), n_(n), kind_(kind), defined_(defined) {}

  Result<Expectation> Read() {
    TIGRESS_RETURN_IF_ERROR(
        doc_.CheckKeys(n_, {"req",      "interpretation", "note",    "status", "header",
                            "json",     "body",           "error",   "ok",     "count",
                            "equals",   "matches",        "present", "absent", "one_of",
                            "contains", "not_contains",   "type",    "min",    "max"},
                       "expectation"));
    e_.where = doc_.Where(n_);
    TIGRESS_RETURN_IF_ERROR(ReadCommonKeys());
    int subjects = 0;
    for (const char* k : {"status", "header", "json", "body", "error", "ok", "count"}) {
      subjects += n_[k] ? 1 : 0;
    }
    if (subjects != 1) {
      return doc_.Fail(
          n_, "an expectation needs exactly one of status, header, json, body, error, ok, count");
    }
    for (const char* k :
         {"equals", "matches", "present", "absent", "one_of", "contains", "not_contains", "type"}) {
      if (n_[k]) {
        ++ops_;
        op_key_ = k;
      }
    }
    if (n_["count"]) {
      TIGRESS_RETURN_IF_ERROR(ReadCount());
      return e_;
    }
    TIGRESS_RETURN_IF_ERROR(ReadSubject());
    if (op_key_ != nullptr) {
      TIGRESS_RETURN_IF_ERROR(ReadOperator(n_[op_key_]));
    }
    return e_;
  }

 private:
  Result<void> ReadCommonKeys() {
    if (!n_["req"]) {
      return doc_.Fail(n_, "every expectation must cite a requirement: add req: <ID>");
    }
    TIGRESS_ASSIGN_OR_RETURN(e_.req, doc_.String(n_["req"], "req"));
    TIGRESS_RETURN_IF_ERROR(CheckReq(cx_, n_["req"], e_.req));
    if (n_["interpretation"]) {
      TIGRESS_ASSIGN_OR_RETURN(e_.interpretation_refs,
                               doc_.StringList(n_["interpretation"], "interpretation"));
      TIGRESS_RETURN_IF_ERROR(
          CheckInterpretationRefs(cx_, n_["interpretation"], e_.interpretation_refs));
    }
    if (n_["note"]) {
      TIGRESS_ASSIGN_OR_RETURN(e_.note, doc_.String(n_["note"], "note"));
    }
    return {};
  }

  // Every subject but count.
  Result<void> ReadSubject() {
    if (n_["status"]) {
      return ReadStatus();
    }
    if (n_["error"]) {
      return ReadError();
    }
    if (n_["ok"]) {
      return ReadOk();
    }
    if (n_["header"]) {
      return ReadHeader();
    }
    if (n_["json"]) {
      return ReadJson();
    }
    return ReadBody();
  }

  bool Http() const { return kind_ == Step::Kind::kHttp; }
  bool Call() const { return kind_ == Step::Kind::kCall; }

  Result<void> ReadStatus() {
    if (!Http()) {
      return doc_.Fail(n_, "status applies to http steps");
    }
    e_.subject = Subject::kStatus;
    TIGRESS_ASSIGN_OR_RETURN(e_.codes, Codes(n_["status"], "status"));
    return NoOp("status");
  }

  Result<void> ReadError() {
    if (!Call()) {
      return doc_.Fail(n_, "error applies to call steps");
    }
    e_.subject = Subject::kError;
    TIGRESS_ASSIGN_OR_RETURN(e_.codes, Codes(n_["error"], "error"));
    return NoOp("error");
  }

  Result<void> ReadOk() {
    if (!Call()) {
      return doc_.Fail(n_, "ok applies to call steps");
    }
    TIGRESS_ASSIGN_OR_RETURN(bool ok, doc_.Bool(n_["ok"], "ok"));
    if (!ok) {
      return doc_.Fail(n_["ok"], "write `error: CODE` to expect a failing call");
    }
    e_.subject = Subject::kOk;
    return NoOp("ok");
  }

  Result<void> ReadHeader() {
    if (!Http()) {
      return doc_.Fail(n_, "header applies to http steps");
    }
    e_.subject = Subject::kHeader;
    TIGRESS_ASSIGN_OR_RETURN(e_.target, doc_.String(n_["header"], "header"));
    return NeedOp({"equals", "matches", "present", "absent", "contains", "not_contains"}, "header");
  }

  Result<void> ReadJson() {
    if (!Http() && !Call()) {
      return doc_.Fail(n_, "json applies to http and call steps");
    }
    e_.subject = Subject::kJson;
    TIGRESS_ASSIGN_OR_RETURN(e_.target, doc_.String(n_["json"], "json"));
    return NeedOp(
        {"equals", "matches", "present", "absent", "one_of", "contains", "not_contains", "type"},
        "json");
  }

  Result<void> ReadBody() {
    if (!Http()) {
      return doc_.Fail(n_, "body applies to http steps");
    }
    e_.subject = Subject::kBody;
    TIGRESS_ASSIGN_OR_RETURN(std::string b, doc_.String(n_["body"], "body"));
    if (b != "text") {
      return doc_.Fail(n_["body"], "write `body: text` and an operator (contains, matches...)");
    }
    return NeedOp({"equals", "matches", "contains", "not_contains"}, "body");
  }

  // A parallel group's count of responses: equals, min and/or max, not the
  // operators of the other subjects.
  Result<void> ReadCount() {
    if (kind_ != Step::Kind::kParallel) {
      return doc_.Fail(n_, "count applies to parallel steps");
    }
    e_.subject = Subject::kCount;
    const YAML::Node& c = n_["count"];
    TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(c, {"status"}, "count"));
    if (!c["status"]) {
      return doc_.Fail(c, "count needs status: CODE or a list");
    }
    TIGRESS_ASSIGN_OR_RETURN(e_.codes, Codes(c["status"], "count.status"));
    if (ops_ > 1 || (ops_ == 1 && std::string_view(op_key_) != "equals")) {
      return doc_.Fail(n_, "count takes equals, min and/or max");
    }
    if (n_["equals"]) {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(n_["equals"], "equals"));
      e_.min = e_.max = v;
    }
    if (n_["min"]) {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(n_["min"], "min"));
      e_.min = v;
    }
    if (n_["max"]) {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(n_["max"], "max"));
      e_.max = v;
    }
    if (!e_.min && !e_.max) {
      return doc_.Fail(n_, "count needs equals, min or max");
    }
    e_.op = Op::kRange;
    return {};
  }

  Result<std::vector<int>> Codes(const YAML::Node& n, std::string_view what) {
    std::vector<int> codes;
    auto one = [&](const YAML::Node& x) -> Result<void> {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(x, what));
      codes.push_back(static_cast<int>(v));
      return {};
    };
    if (n.IsSequence()) {
      for (const auto& x : n) {
        TIGRESS_RETURN_IF_ERROR(one(x));
      }
    } else {
      TIGRESS_RETURN_IF_ERROR(one(n));
    }
    if (codes.empty()) {
      return doc_.Fail(n, std::string(what) + " must list at least one code");
    }
    return codes;
  }

  Result<void> NeedOp(std::initializer_list<std::string_view> allowed, std::string_view subject) {
    if (ops_ != 1) {
      return doc_.Fail(n_, std::string(subject) + " needs exactly one operator");
    }
    if (std::find(allowed.begin(), allowed.end(), std::string_view(op_key_)) == allowed.end()) {
      return doc_.Fail(n_, std::string(subject) + " does not support '" + op_key_ + "'");
    }
    return {};
  }

  Result<void> NoOp(std::string_view subject) {
    if (ops_ != 0 || n_["min"] || n_["max"]) {
      return doc_.Fail(n_, std::string(subject) + " takes no operator");
    }
    return {};
  }

  // The operator `op_key_` with its operand `v`; templates in the operand
  // may only use variables defined before the step.
  Result<void> ReadOperator(const YAML::Node& v) {
    const std::string_view k(op_key_);
    if (k == "equals") {
      e_.op = Op::kEquals;
      e_.operand = YamlToJson(v);
    } else if (k == "matches") {
      TIGRESS_RETURN_IF_ERROR(ReadMatches(v));
    } else if (k == "present" || k == "absent") {
      TIGRESS_ASSIGN_OR_RETURN(bool b, doc_.Bool(v, k));
      e_.op = (b == (k == "present")) ? Op::kPresent : Op::kAbsent;
    } else if (k == "one_of") {
      if (!v.IsSequence() || v.size() == 0) {
        return doc_.Fail(v, "one_of must be a non-empty list");
      }
      e_.op = Op::kOneOf;
      e_.operand = YamlToJson(v);
    } else if (k == "contains" || k == "not_contains") {
      e_.op = k == "contains" ? Op::kContains : Op::kNotContains;
      TIGRESS_ASSIGN_OR_RETURN(std::string text, doc_.String(v, k));
      e_.operand = text;
    } else if (k == "type") {
      TIGRESS_RETURN_IF_ERROR(ReadType(v));
    }
    return CheckVars(cx_, v, e_.operand, defined_);
  }

  Result<void> ReadMatches(const YAML::Node& v) {
    e_.op = Op::kMatches;
    TIGRESS_ASSIGN_OR_RETURN(std::string re, doc_.String(v, "matches"));
    // A template is compiled once its variables are known, at run time.
    if (FindVarRefs(re).empty()) {
      try {
        std::regex test(re, std::regex::ECMAScript);
      } catch (const std::regex_error& err) {
        return doc_.Fail(v, "invalid regular expression '" + re + "': " + err.what());
      }
    }
    e_.operand = re;
    return {};
  }

  Result<void> ReadType(const YAML::Node& v) {
    TIGRESS_ASSIGN_OR_RETURN(std::string t, doc_.String(v, "type"));
    static const std::set<std::string> kTypes = {"string", "number", "integer", "boolean",
                                                 "object", "array",  "null"};
    if (!kTypes.contains(t)) {
      return doc_.Fail(v, "type must be string, number, integer, boolean, object, array or null");
    }
    e_.op = Op::kType;
    e_.operand = t;
    return {};
  }

  const LoadContext& cx_;
  const YamlDoc& doc_;
  const YAML::Node& n_;
  const Step::Kind kind_;
  const DefinedVars& defined_;
  Expectation e_;
  int ops_ = 0;                   // how many operator keys are present
  const char* op_key_ = nullptr;  // the last of them in the order above
};

}  // namespace

Result<Expectation> LoadExpectation(const LoadContext& cx, const YAML::Node& node, Step::Kind kind,
                                    const DefinedVars& defined) {
  return ExpectationReader(cx, node, kind, defined).Read();
}

}  // namespace tigress::harness::internal
