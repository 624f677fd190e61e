// Files compiled into the binary (shaders, the font); see cmake/Embed.cmake.
#pragma once

#include <string_view>

namespace attnlab {

// The bytes of an embedded file by its name ("colormap.frag"); empty if none.
// The data is followed by a 0 byte, so text files are also C strings.
std::string_view embedded_file(const char* name);

}  // namespace attnlab
