#include "services/http/dashboard_page.h"
namespace irm::services::http {
const char* DashboardScript() { return ""; }
}  // namespace irm::services::http
