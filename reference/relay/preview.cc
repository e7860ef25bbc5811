#include "reference/relay/preview.h"

#include "protocol/text.h"

namespace tigress::relay {
namespace internal {

std::string RenderPreviewHtml(const DisplayInformation& d, bool escape, bool any_image_scheme,
                              const std::string& extra) {
  auto e = [escape](std::string_view s) { return escape ? text::HtmlEscape(s) : std::string(s); };
  std::string html =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n<title>" +
      e(d.title) + "</title>\n<meta property=\"og:title\" content=\"" + e(d.title) +
      "\">\n<meta property=\"og:description\" content=\"" + e(d.description) + "\">\n";
  // By default only web images become og:image: a javascript: or data: URL
  // is dropped. The quirk keeps it, escaped: the CSP forbids script anyway.
  bool web_image = text::StartsWithIgnoreCase(d.image_url, "https://") ||
                   text::StartsWithIgnoreCase(d.image_url, "http://");
  if (web_image || !escape || (any_image_scheme && !d.image_url.empty())) {
    html += "<meta property=\"og:image\" content=\"" + e(d.image_url) + "\">\n";
  }
  html += "</head>\n<body>\n<h1>" + e(d.title) + "</h1>\n<p>" + e(d.description) + "</p>\n" +
          extra + "</body>\n</html>\n";
  return html;
}

}  // namespace internal

std::string RenderPreview(const DisplayInformation& d, bool any_image_scheme) {
  return internal::RenderPreviewHtml(d, true, any_image_scheme, "");
}

}  // namespace tigress::relay
