// The live dashboard served at GET /: one HTML page with its CSS and script inline, built
// into irmd (no CDN, no external fonts or scripts). It reads /api/reviews, /api/needs and
// follows /api/events with EventSource; see docs/dashboard.md for what it shows.
//
// Review rows carry data-state, data-cycle and data-stage (stage names of domain.md), so
// scripts and tests can read the table. Thread-safe (constant data).
#ifndef IRM_SERVICES_HTTP_DASHBOARD_PAGE_H_
#define IRM_SERVICES_HTTP_DASHBOARD_PAGE_H_

#include <string>

namespace irm::services::http {

// The whole page.
const std::string& DashboardPage();

// The Content-Security-Policy sent with it: same-origin only, inline style and script.
const char* DashboardContentSecurityPolicy();

// Parts of the page, in dashboard_style.cc, dashboard_markup.cc and dashboard_script.cc.
const char* DashboardStyle();
const char* DashboardMarkup();
const char* DashboardScript();

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_DASHBOARD_PAGE_H_
