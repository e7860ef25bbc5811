#include "protocol/rfc3339.h"

#include <cstdio>

namespace tigress {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `n` decimal digits at `pos`; -1 when they are not all digits.
int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

Error Invalid(std::string_view text, const std::string& why) {
  return MakeError(Errc::kTimestampInvalid, "'" + std::string(text.substr(0, 40)) + "': " + why);
}

}  // namespace

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::floor<seconds>(t);
  const auto day = std::chrono::floor<days>(secs);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{secs - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), 'T',
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<SysSeconds> ParseRfc3339(std::string_view text) {
  // date-time = YYYY-MM-DD ("T" / "t" / " ") hh:mm:ss [.frac] ("Z" / "z" / +hh:mm / -hh:mm)
  if (text.size() < 20) return Invalid(text, "too short for YYYY-MM-DDThh:mm:ssZ");
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-') {
    return Invalid(text, "date is not YYYY-MM-DD");
  }
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
    return Invalid(text, "date and time are not separated by 'T'");
  }
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  if (hour < 0 || minute < 0 || second < 0 || text[13] != ':' || text[16] != ':') {
    return Invalid(text, "time is not hh:mm:ss");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return Invalid(text, "no such calendar date");
  // Second 60 is a leap second; we fold it into the next second.
  if (hour > 23 || minute > 59 || second > 60) return Invalid(text, "time of day out of range");
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return Invalid(text, "'.' not followed by fraction digits");
  }
  if (pos >= text.size()) return Invalid(text, "missing time zone (Z or +hh:mm)");
  seconds offset{0};
  const char z = text[pos];
  if (z == 'Z' || z == 'z') {
    ++pos;
  } else if (z == '+' || z == '-') {
    const int oh = Digits(text, pos + 1, 2);
    const int om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':' || oh > 23 ||
        om > 59) {
      return Invalid(text, "offset is not +hh:mm or -hh:mm");
    }
    offset = hours{oh} + minutes{om};
    if (z == '-') offset = -offset;
    pos += 6;
  } else {
    return Invalid(text, "missing time zone (Z or +hh:mm)");
  }
  if (pos != text.size()) return Invalid(text, "trailing characters after the time zone");
  SysSeconds t = std::chrono::sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
  return t - offset;
}

Result<SysSeconds> ParseStrictUtc(std::string_view text) {
  auto t = ParseRfc3339(text);
  if (!t) return t;
  if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z' || FormatUtc(*t) != text) {
    return MakeError(Errc::kTimestampNotStrict,
                     "'" + std::string(text.substr(0, 40)) + "' is not YYYY-MM-DDThh:mm:ssZ");
  }
  return t;
}

}  // namespace tigress
