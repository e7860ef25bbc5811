#include "protocol/messages.h"

#include <initializer_list>

#include "protocol/json_depth.h"
#include "protocol/rfc3339.h"

namespace tigress {
namespace {

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

const char* TypeName(const Json& j) { return j.type_name(); }

// Reads the members of one JSON object, naming each field by its JSON path in
// every error.
class ObjectReader {
 public:
  static Result<ObjectReader> Open(const Json& j, std::string path) {
    if (!j.is_object()) {
      return MakeError(Errc::kFieldWrongType, (path.empty() ? std::string("body") : path) +
                                                  ": expected an object, got " + TypeName(j));
    }
    return ObjectReader(j, std::move(path));
  }

  Result<std::string> RequiredString(std::string_view key) const {
    const auto it = j_->find(key);
    if (it == j_->end()) {
      return MakeError(Errc::kFieldMissing, Join(path_, key) + ": required field is missing");
    }
    if (!it->is_string()) {
      return MakeError(Errc::kFieldWrongType,
                       Join(path_, key) + ": expected a string, got " + TypeName(*it));
    }
    return it->get<std::string>();
  }

  Result<std::optional<std::string>> OptionalString(std::string_view key) const {
    const auto it = j_->find(key);
    if (it == j_->end()) return std::optional<std::string>();
    if (!it->is_string()) {
      return MakeError(Errc::kFieldWrongType,
                       Join(path_, key) + ": expected a string, got " + TypeName(*it));
    }
    return std::optional<std::string>(it->get<std::string>());
  }

  Result<bool> RequiredBool(std::string_view key) const {
    const auto it = j_->find(key);
    if (it == j_->end()) {
      return MakeError(Errc::kFieldMissing, Join(path_, key) + ": required field is missing");
    }
    if (!it->is_boolean()) {
      return MakeError(Errc::kFieldWrongType,
                       Join(path_, key) + ": expected a boolean, got " + TypeName(*it));
    }
    return it->get<bool>();
  }

  // Returns the member or nullptr when absent; `required` turns absence into an error.
  Result<const Json*> Member(std::string_view key, bool required) const {
    const auto it = j_->find(key);
    if (it == j_->end()) {
      if (!required) return static_cast<const Json*>(nullptr);
      return MakeError(Errc::kFieldMissing, Join(path_, key) + ": required field is missing");
    }
    return &*it;
  }

  Result<void> RejectUnknown(bool strict, std::initializer_list<std::string_view> known) const {
    if (!strict) return {};
    for (const auto& [key, value] : j_->items()) {
      bool found = false;
      for (const auto k : known) found = found || k == key;
      if (!found) {
        return MakeError(Errc::kFieldUnknown, Join(path_, key) + ": field is not allowed here");
      }
    }
    return {};
  }

  std::string Path(std::string_view key) const { return Join(path_, key); }

 private:
  ObjectReader(const Json& j, std::string path) : j_(&j), path_(std::move(path)) {}
  const Json* j_;
  std::string path_;
};

Result<Json> ParseBody(std::string_view body) {
  // Copying a parsed value (ProvisioningInfo.content) recurses once per level.
  if (JsonNestingDepth(body) > kMaxJsonDepth) {
    return MakeError(Errc::kJsonInvalid, "body is nested deeper than " +
                                             std::to_string(kMaxJsonDepth) + " levels");
  }
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Re-parse with exceptions only to learn the byte offset for the message.
    try {
      [[maybe_unused]] const Json unused = Json::parse(body);
    } catch (const Json::parse_error& e) {
      return MakeError(Errc::kJsonInvalid,
                       "body is not valid JSON (error at byte " + std::to_string(e.byte) + ")");
    } catch (const Json::exception&) {
      // Not a syntax error but still unusable, e.g. a number that overflows
      // a double (out_of_range.406): the caller's 400, not an escaping throw.
    }
    return MakeError(Errc::kJsonInvalid, "body is not valid JSON");
  }
  return j;
}

Result<std::optional<NotificationToken>> TokenFromJson(const ObjectReader& r, bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* j, r.Member("notificationToken", false));
  if (j == nullptr) return std::optional<NotificationToken>();
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader t, ObjectReader::Open(*j, r.Path("notificationToken")));
  TIGRESS_RETURN_IF_ERROR(t.RejectUnknown(strict, {"type", "tokenData"}));
  NotificationToken out;
  TIGRESS_ASSIGN_OR_RETURN(out.type, t.RequiredString("type"));
  TIGRESS_ASSIGN_OR_RETURN(out.token_data, t.RequiredString("tokenData"));
  return std::optional<NotificationToken>(std::move(out));
}

Result<MailboxConfiguration> ConfigFromJson(const Json& j, std::string path, bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, path));
  TIGRESS_RETURN_IF_ERROR(r.RejectUnknown(strict, {"accessRights", "expiration"}));
  MailboxConfiguration out;
  TIGRESS_ASSIGN_OR_RETURN(out.access_rights, r.OptionalString("accessRights"));
  TIGRESS_ASSIGN_OR_RETURN(out.expiration, r.OptionalString("expiration"));
  if (out.access_rights) TIGRESS_RETURN_IF_ERROR(ValidateAccessRights(*out.access_rights));
  if (out.expiration) {
    auto t = ParseRfc3339(*out.expiration);
    if (!t) {
      return MakeError(Errc::kFieldInvalid,
                       r.Path("expiration") + ": not an RFC 3339 timestamp (" + t.error().detail +
                           ")");
    }
  }
  return out;
}

}  // namespace

Result<void> ValidateAccessRights(std::string_view rights) {
  const std::string path = "mailboxConfiguration.accessRights";
  if (rights.empty()) return MakeError(Errc::kFieldInvalid, path + ": must not be empty");
  std::string seen;
  for (const char c : rights) {
    if (c != 'R' && c != 'W' && c != 'D') {
      return MakeError(Errc::kFieldInvalid, path + ": '" + std::string(1, c) +
                                                "' is not one of R, W, D (upper case)");
    }
    if (seen.find(c) != std::string::npos) {
      return MakeError(Errc::kFieldInvalid, path + ": '" + std::string(1, c) + "' repeated");
    }
    seen.push_back(c);
  }
  return {};
}

Result<Payload> PayloadFromJson(const Json& j, std::string_view path) {
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, std::string(path)));
  Payload out;
  TIGRESS_ASSIGN_OR_RETURN(out.type, r.RequiredString("type"));
  TIGRESS_ASSIGN_OR_RETURN(out.data, r.RequiredString("data"));
  return out;
}

Result<DisplayInformation> DisplayInformationFromJson(const Json& j, std::string_view path) {
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, std::string(path)));
  DisplayInformation out;
  TIGRESS_ASSIGN_OR_RETURN(out.title, r.RequiredString("title"));
  TIGRESS_ASSIGN_OR_RETURN(out.description, r.RequiredString("description"));
  TIGRESS_ASSIGN_OR_RETURN(out.image_url, r.RequiredString("imageURL"));
  return out;
}

Result<ProvisioningInfo> ProvisioningInfoFromJson(const Json& j) {
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  ProvisioningInfo out;
  TIGRESS_ASSIGN_OR_RETURN(out.format, r.RequiredString("format"));
  TIGRESS_ASSIGN_OR_RETURN(const Json* content, r.Member("content", true));
  if (!content->is_object()) {
    return MakeError(Errc::kFieldWrongType,
                     std::string("content: expected an object, got ") + TypeName(*content));
  }
  out.content = *content;
  for (const auto& [key, value] : j.items()) {
    if (key != "format" && key != "content") out.extra[key] = value;
  }
  return out;
}

Result<ProvisioningInfo> ParseProvisioningInfo(std::string_view text) {
  auto j = ParseBody(text);
  if (!j) {
    return MakeError(Errc::kPlaintextNotProvisioningInfo, "plaintext: " + j.error().detail);
  }
  auto info = ProvisioningInfoFromJson(*j);
  if (!info) {
    return MakeError(Errc::kPlaintextNotProvisioningInfo, "plaintext: " + info.error().detail);
  }
  return info;
}

Result<CreateMailboxRequest> ParseCreateMailboxRequest(std::string_view body, bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(Json j, ParseBody(body));
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  TIGRESS_RETURN_IF_ERROR(r.RejectUnknown(
      strict, {"payload", "displayInformation", "notificationToken", "mailboxConfiguration"}));
  CreateMailboxRequest out;
  TIGRESS_ASSIGN_OR_RETURN(const Json* payload, r.Member("payload", true));
  TIGRESS_ASSIGN_OR_RETURN(out.payload, PayloadFromJson(*payload));
  TIGRESS_ASSIGN_OR_RETURN(const Json* display, r.Member("displayInformation", true));
  TIGRESS_ASSIGN_OR_RETURN(out.display_information, DisplayInformationFromJson(*display));
  TIGRESS_ASSIGN_OR_RETURN(out.notification_token, TokenFromJson(r, strict));
  TIGRESS_ASSIGN_OR_RETURN(const Json* config, r.Member("mailboxConfiguration", false));
  if (config != nullptr) {
    TIGRESS_ASSIGN_OR_RETURN(MailboxConfiguration c,
                             ConfigFromJson(*config, "mailboxConfiguration", strict));
    out.mailbox_configuration = std::move(c);
  }
  return out;
}

Result<CreateMailboxResponse> ParseCreateMailboxResponse(std::string_view body, bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(Json j, ParseBody(body));
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  TIGRESS_RETURN_IF_ERROR(r.RejectUnknown(strict, {"urlLink", "isPushNotificationSupported"}));
  CreateMailboxResponse out;
  TIGRESS_ASSIGN_OR_RETURN(out.url_link, r.RequiredString("urlLink"));
  TIGRESS_ASSIGN_OR_RETURN(out.is_push_notification_supported,
                           r.RequiredBool("isPushNotificationSupported"));
  return out;
}

Result<UpdateMailboxRequest> ParseUpdateMailboxRequest(std::string_view body, bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(Json j, ParseBody(body));
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  TIGRESS_RETURN_IF_ERROR(r.RejectUnknown(strict, {"payload", "notificationToken"}));
  UpdateMailboxRequest out;
  TIGRESS_ASSIGN_OR_RETURN(const Json* payload, r.Member("payload", true));
  TIGRESS_ASSIGN_OR_RETURN(out.payload, PayloadFromJson(*payload));
  TIGRESS_ASSIGN_OR_RETURN(out.notification_token, TokenFromJson(r, strict));
  return out;
}

Result<UpdateMailboxResponse> ParseUpdateMailboxResponse(std::string_view body, bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(Json j, ParseBody(body));
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  TIGRESS_RETURN_IF_ERROR(r.RejectUnknown(strict, {"isPushNotificationSupported"}));
  UpdateMailboxResponse out;
  TIGRESS_ASSIGN_OR_RETURN(out.is_push_notification_supported,
                           r.RequiredBool("isPushNotificationSupported"));
  return out;
}

Result<ReadSecureContentRequest> ParseReadSecureContentRequest(std::string_view body,
                                                               bool strict) {
  ReadSecureContentRequest out;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  TIGRESS_ASSIGN_OR_RETURN(Json j, ParseBody(body));
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  TIGRESS_RETURN_IF_ERROR(r.RejectUnknown(strict, {"notificationToken"}));
  TIGRESS_ASSIGN_OR_RETURN(out.notification_token, TokenFromJson(r, strict));
  return out;
}

Result<ReadSecureContentResponse> ParseReadSecureContentResponse(std::string_view body,
                                                                 bool strict) {
  TIGRESS_ASSIGN_OR_RETURN(Json j, ParseBody(body));
  TIGRESS_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(j, ""));
  TIGRESS_RETURN_IF_ERROR(
      r.RejectUnknown(strict, {"payload", "displayInformation", "expiration"}));
  ReadSecureContentResponse out;
  TIGRESS_ASSIGN_OR_RETURN(const Json* payload, r.Member("payload", true));
  TIGRESS_ASSIGN_OR_RETURN(out.payload, PayloadFromJson(*payload));
  TIGRESS_ASSIGN_OR_RETURN(const Json* display, r.Member("displayInformation", true));
  TIGRESS_ASSIGN_OR_RETURN(out.display_information, DisplayInformationFromJson(*display));
  TIGRESS_ASSIGN_OR_RETURN(out.expiration, r.RequiredString("expiration"));
  auto t = ParseRfc3339(out.expiration);
  if (!t) {
    return MakeError(Errc::kFieldInvalid,
                     "expiration: not an RFC 3339 timestamp (" + t.error().detail + ")");
  }
  return out;
}

Json ToJson(const Payload& p) { return Json{{"type", p.type}, {"data", p.data}}; }

Json ToJson(const DisplayInformation& d) {
  return Json{{"title", d.title}, {"description", d.description}, {"imageURL", d.image_url}};
}

Json ToJson(const NotificationToken& t) {
  return Json{{"type", t.type}, {"tokenData", t.token_data}};
}

Json ToJson(const MailboxConfiguration& c) {
  Json j = Json::object();
  if (c.access_rights) j["accessRights"] = *c.access_rights;
  if (c.expiration) j["expiration"] = *c.expiration;
  return j;
}

Json ToJson(const ProvisioningInfo& p) {
  Json j = p.extra.is_object() ? p.extra : Json::object();
  j["format"] = p.format;
  j["content"] = p.content;
  return j;
}

Json ToJson(const CreateMailboxRequest& r) {
  Json j{{"payload", ToJson(r.payload)}, {"displayInformation", ToJson(r.display_information)}};
  if (r.notification_token) j["notificationToken"] = ToJson(*r.notification_token);
  if (r.mailbox_configuration) j["mailboxConfiguration"] = ToJson(*r.mailbox_configuration);
  return j;
}

Json ToJson(const CreateMailboxResponse& r) {
  return Json{{"urlLink", r.url_link},
              {"isPushNotificationSupported", r.is_push_notification_supported}};
}

Json ToJson(const UpdateMailboxRequest& r) {
  Json j{{"payload", ToJson(r.payload)}};
  if (r.notification_token) j["notificationToken"] = ToJson(*r.notification_token);
  return j;
}

Json ToJson(const UpdateMailboxResponse& r) {
  return Json{{"isPushNotificationSupported", r.is_push_notification_supported}};
}

Json ToJson(const ReadSecureContentRequest& r) {
  Json j = Json::object();
  if (r.notification_token) j["notificationToken"] = ToJson(*r.notification_token);
  return j;
}

Json ToJson(const ReadSecureContentResponse& r) {
  return Json{{"payload", ToJson(r.payload)},
              {"displayInformation", ToJson(r.display_information)},
              {"expiration", r.expiration}};
}

}  // namespace tigress
