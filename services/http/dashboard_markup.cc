#include "services/http/dashboard_page.h"
namespace irm::services::http {
const char* DashboardMarkup() { return ""; }
}  // namespace irm::services::http
