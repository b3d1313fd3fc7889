#include "services/http/dashboard_page.h"
namespace irm::services::http {
const char* DashboardStyle() { return ""; }
}  // namespace irm::services::http
