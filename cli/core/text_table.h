// TextTable: rows of text printed as aligned columns for the human output of `irm` questions
// (`irm reviews`, `irm pipeline`). Columns are separated by two spaces; text is left-aligned
// unless a column is marked right-aligned (numbers). The last column is not padded.
//
// A value type; thread-compatible.
#ifndef IRM_CLI_CORE_TEXT_TABLE_H_
#define IRM_CLI_CORE_TEXT_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace irm::cli {

class TextTable {
 public:
  // `header` fixes the number of columns; shorter rows are padded with empty cells.
  explicit TextTable(std::vector<std::string> header);

  void AddRow(std::vector<std::string> row);
  // Marks `column` (0-based) right-aligned.
  void AlignRight(size_t column);
  size_t rows() const { return rows_.size() - 1; }

  // Writes the header and every row, one line each. Widths count bytes, except that UTF-8
  // continuation bytes are not counted, so names like "Türkiye" line up.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> right_;
};

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_TEXT_TABLE_H_
