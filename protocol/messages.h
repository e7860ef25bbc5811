// File: protocol/messages.h
//
// Request and response bodies of the six endpoints (spec-catalog A.6) and the
// Provisioning Information (A.10), as typed structs with JSON parse and
// serialize. Parse errors name the offending field by its JSON path
// ("displayInformation.title: required field is missing").
//
//   auto req = ParseCreateMailboxRequest(body);   // Result<CreateMailboxRequest>
//   if (!req) return BadRequest(req.error().Message());
//   std::string out = ToJson(CreateMailboxResponse{url, false}).dump();
//
// Unknown fields are ignored (the relay must tolerate them, RELAY-06/21)
// unless `strict` is set; strict parsing reports kFieldUnknown.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/payload.h"

namespace tigress {

using Json = nlohmann::json;

// Header names (A.5).
inline constexpr std::string_view kHeaderRequestId = "Mailbox-Request-ID";
inline constexpr std::string_view kHeaderDeviceClaim = "Mailbox-Device-Claim";
inline constexpr std::string_view kHeaderAttestation = "Mailbox-Device-Attestation";

struct DisplayInformation {
  std::string title;
  std::string description;
  std::string image_url;  // JSON "imageURL"
  friend bool operator==(const DisplayInformation&, const DisplayInformation&) = default;
};

struct NotificationToken {
  std::string type;        // push system, e.g. "com.apple.apns" or "webhook"
  std::string token_data;  // JSON "tokenData"
  friend bool operator==(const NotificationToken&, const NotificationToken&) = default;
};

struct MailboxConfiguration {
  std::optional<std::string> access_rights;  // combination of R, W, D
  std::optional<std::string> expiration;     // RFC 3339 as sent
  friend bool operator==(const MailboxConfiguration&, const MailboxConfiguration&) = default;
};

// `ProvisioningInfo` is the plaintext: {format, content, ...other keys kept}.
struct ProvisioningInfo {
  std::string format;
  Json content = Json::object();  // always a JSON object
  Json extra = Json::object();    // other top-level keys, kept verbatim (PAYLOAD-13)
  friend bool operator==(const ProvisioningInfo&, const ProvisioningInfo&) = default;
};

struct CreateMailboxRequest {
  Payload payload;
  DisplayInformation display_information;
  std::optional<NotificationToken> notification_token;
  std::optional<MailboxConfiguration> mailbox_configuration;
};

struct CreateMailboxResponse {
  std::string url_link;
  bool is_push_notification_supported = false;
};

struct UpdateMailboxRequest {
  Payload payload;
  std::optional<NotificationToken> notification_token;
};

struct UpdateMailboxResponse {
  bool is_push_notification_supported = false;
};

// The body of ReadSecureContent is optional (C-13): empty, or a JSON object
// with an optional notificationToken.
struct ReadSecureContentRequest {
  std::optional<NotificationToken> notification_token;
};

struct ReadSecureContentResponse {
  Payload payload;
  DisplayInformation display_information;
  std::string expiration;  // YYYY-MM-DDThh:mm:ssZ
};

// `ValidateAccessRights` accepts a non-empty string of distinct letters from
// {R, W, D} (upper case). Errors: kFieldInvalid naming
// "mailboxConfiguration.accessRights".
Result<void> ValidateAccessRights(std::string_view rights);

// Parsers. Errors: kJsonInvalid (with the parser's byte offset),
// kFieldMissing, kFieldWrongType, kFieldInvalid (e.g. a payload `type` that
// is not a string, an expiration that is not RFC 3339), kFieldUnknown (strict).
// Payload contents are checked for shape only by `ValidatePayloadShape`.
Result<ProvisioningInfo> ParseProvisioningInfo(std::string_view text);
Result<ProvisioningInfo> ProvisioningInfoFromJson(const Json& j);
Result<Payload> PayloadFromJson(const Json& j, std::string_view path = "payload");
Result<DisplayInformation> DisplayInformationFromJson(const Json& j,
                                                      std::string_view path = "displayInformation");
Result<CreateMailboxRequest> ParseCreateMailboxRequest(std::string_view body, bool strict = false);
Result<CreateMailboxResponse> ParseCreateMailboxResponse(std::string_view body, bool strict = false);
Result<UpdateMailboxRequest> ParseUpdateMailboxRequest(std::string_view body, bool strict = false);
Result<UpdateMailboxResponse> ParseUpdateMailboxResponse(std::string_view body, bool strict = false);
Result<ReadSecureContentRequest> ParseReadSecureContentRequest(std::string_view body,
                                                               bool strict = false);
Result<ReadSecureContentResponse> ParseReadSecureContentResponse(std::string_view body,
                                                                 bool strict = false);

// Serializers (always the exact field names of the draft; optional members
// omitted when absent).
Json ToJson(const Payload& p);
Json ToJson(const DisplayInformation& d);
Json ToJson(const NotificationToken& t);
Json ToJson(const MailboxConfiguration& c);
Json ToJson(const ProvisioningInfo& p);
Json ToJson(const CreateMailboxRequest& r);
Json ToJson(const CreateMailboxResponse& r);
Json ToJson(const UpdateMailboxRequest& r);
Json ToJson(const UpdateMailboxResponse& r);
Json ToJson(const ReadSecureContentRequest& r);
Json ToJson(const ReadSecureContentResponse& r);

}  // namespace tigress
