#include "services/http/dashboard_page.h"

#include "absl/strings/str_cat.h"

namespace irm::services::http {

const std::string& DashboardPage() {
  static const std::string* page = new std::string(absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>irm - UNCAC review status</title>\n<style>\n",
      DashboardStyle(), "</style>\n</head>\n<body>\n", DashboardMarkup(), "<script>\n",
      DashboardScript(), "</script>\n</body>\n</html>\n"));
  return *page;
}

const char* DashboardContentSecurityPolicy() {
  return "default-src 'none'; connect-src 'self'; script-src 'unsafe-inline'; "
         "style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
}

}  // namespace irm::services::http
