// File: reference/relay/preview.h
//
// The preview page of GET /v1/m/<id> (A.6.4): OpenGraph HTML built from a
// mailbox's display information, and the Content-Security-Policy sent with it.
//
//   std::string html = RenderPreview({"Car key", "Front door", "https://i.test/k.png"});
#pragma once

#include <string>
#include <string_view>

#include "protocol/messages.h"

namespace tigress::relay {

// `RenderPreview` is the OpenGraph HTML of A.6.4 for `d`: og:title,
// og:description and og:image, all HTML-escaped, no script. og:image is
// present for http/https URLs only, or (`any_image_scheme`, quirk
// og-image-any-scheme) for any non-empty imageURL. Exposed for tests.
std::string RenderPreview(const DisplayInformation& d, bool any_image_scheme = false);

// The Content-Security-Policy sent with every preview.
inline constexpr std::string_view kPreviewCsp =
    "default-src 'none'; img-src https:; style-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

namespace internal {
// `RenderPreviewHtml` is RenderPreview with the relay's fault hooks: without
// `escape` nothing is escaped and og:image is always present (the
// preview-unescaped fault); `extra` is inserted before </body>.
std::string RenderPreviewHtml(const DisplayInformation& d, bool escape, bool any_image_scheme,
                              const std::string& extra);
}  // namespace internal

}  // namespace tigress::relay
