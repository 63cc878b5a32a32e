// File names are bytes; JSON strings are UTF-8. A name that is not valid UTF-8 is written
// twice in a record: "path" readable (the bad bytes as U+FFFD) and "path_bytes" exact (base64 of
// the bytes, as ripgrep's JSON output carries such names), so every record leads back to its
// file and --resume / merge can match inputs by their exact bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mtcnn::cli {

bool is_valid_utf8(std::string_view text);

std::string base64_encode(std::string_view bytes);
// Nothing when text is not base64 (standard alphabet, with padding).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mtcnn::cli
