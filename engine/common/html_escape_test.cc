#include "engine/common/html_escape.h"

#include "gtest/gtest.h"

namespace irm::common {
namespace {

TEST(HtmlEscapeTest, EscapesMarkupAndBothQuotes) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x" title='y'>R&D</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;R&amp;D&lt;/a&gt;");
}

TEST(HtmlEscapeTest, KeepsOtherTextAsItIs) {
  EXPECT_EQ(HtmlEscape("Côte d’Ivoire, art. 5"), "Côte d’Ivoire, art. 5");
  EXPECT_EQ(HtmlEscape(""), "");
}

}  // namespace
}  // namespace irm::common
