// Builds GL programs from the GLSL ES 3.00 files in shaders/, which are
// embedded in the binary (cmake/Embed.cmake). A line `#include "file"` is
// replaced by that embedded file. On desktop GL the `#version 300 es` line
// becomes `#version 330 core`; the rest of the source is the same.
#pragma once

#include <string>

#include "app/gfx/gl.h"

namespace attnlab {

// Returns 0 and fills *error (with the GL info log) when compiling or linking fails.
GLuint build_program(const char* vertex_file, const char* fragment_file, std::string* error);

}  // namespace attnlab
