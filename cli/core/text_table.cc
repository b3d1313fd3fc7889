#include "cli/core/text_table.h"

#include <algorithm>

namespace irm::cli {
namespace {

// Display width: code points, assuming one column each.
size_t Width(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

}  // namespace

TextTable::TextTable(std::vector<std::string> header) : right_(header.size(), false) {
  rows_.push_back(std::move(header));
}

void TextTable::AddRow(std::vector<std::string> row) {
  row.resize(rows_[0].size());
  rows_.push_back(std::move(row));
}

void TextTable::AlignRight(size_t column) {
  if (column < right_.size()) right_[column] = true;
}

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> width(rows_[0].size(), 0);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], Width(row[i]));
  }
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - Width(row[i]), ' ');
      if (i > 0) line += "  ";
      if (right_[i]) line += pad;
      line += row[i];
      if (!right_[i] && i + 1 < row.size()) line += pad;
    }
    out << line << "\n";
  }
}

}  // namespace irm::cli
