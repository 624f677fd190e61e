// Helpers for text that comes from outside (links, course files): how deep
// its JSON nests before a recursive parser sees it, and a short, printable
// form of it for messages.
#pragma once

#include <cstddef>
#include <string>

namespace attnlab {

// Deeper JSON is refused before parsing: nlohmann's recursive copy and dump
// overflow a browser's stack at about 10,000 levels.
constexpr size_t kMaxJsonDepth = 64;

// The deepest nesting of arrays and objects in JSON text (brackets inside
// strings do not count; exact for valid JSON, which is all the parser accepts).
size_t json_depth(const std::string& text);

// At most 40 characters, anything unprintable as '?', for quoting in a message.
std::string printable(const std::string& s);

}  // namespace attnlab
