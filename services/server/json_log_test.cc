#include "services/server/json_log.h"

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

std::string Contents(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  return text;
}

TEST(JsonLogTest, FormatHasTimeLevelMessageAndFields) {
  absl::Time time = absl::FromUnixMicros(1764471900123456);  // 2025-11-30T03:05:00.123456Z
  std::string line = JsonLog::Format(time, LogLevel::kWarning, "disk \"slow\"", {{"ms", 12}});
  EXPECT_EQ(line,
            R"({"time":"2025-11-30T03:05:00.123456Z","level":"warning","message":"disk \"slow\"",)"
            R"("fields":{"ms":12}})");
  nlohmann::json parsed = nlohmann::json::parse(
      JsonLog::Format(time, LogLevel::kDebug, "x", nlohmann::json()));
  EXPECT_EQ(parsed["fields"], nlohmann::json::object());
  EXPECT_EQ(parsed["level"], "debug");
}

TEST(JsonLogTest, InvalidUtf8IsReplacedNotThrown) {
  std::string line =
      JsonLog::Format(absl::UnixEpoch(), LogLevel::kInfo, "m", {{"peer", std::string("\xff")}});
  EXPECT_NO_THROW(nlohmann::json::parse(line));
}

TEST(JsonLogTest, DropsRecordsBelowTheLevelAndWritesOneLineEach) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  JsonLog log(file, LogLevel::kInfo);
  EXPECT_FALSE(log.Enabled(LogLevel::kDebug));
  EXPECT_TRUE(log.Enabled(LogLevel::kError));
  log.Write(LogLevel::kDebug, "hidden");
  log.Write(LogLevel::kInfo, "shown", {{"a", 1}});
  log.Write(LogLevel::kError, "also shown");
  std::vector<std::string> lines = absl::StrSplit(Contents(file), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["message"], "shown");
  EXPECT_EQ(nlohmann::json::parse(lines[0])["fields"]["a"], 1);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["level"], "error");
  std::fclose(file);
}

TEST(JsonLogTest, ConcurrentWritersNeverInterleaveLines) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  JsonLog log(file, LogLevel::kDebug);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 500; ++i) log.Write(LogLevel::kInfo, std::string(200, 'a' + t), {{"i", i}});
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> lines = absl::StrSplit(Contents(file), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2000u);
  for (const std::string& line : lines) {
    nlohmann::json record = nlohmann::json::parse(line);  // throws (fails) if mangled
    EXPECT_EQ(record["message"].get<std::string>().size(), 200u);
  }
  std::fclose(file);
}

TEST(JsonLogTest, ParsesLevelNames) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_THAT(ParseLogLevel("warn").status().message(), ::testing::HasSubstr("debug, info"));
}

}  // namespace
}  // namespace irm::services
