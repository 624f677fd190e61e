// The one place that picks the OpenGL headers.
//   browser: WebGL2 (OpenGL ES 3.0 API through Emscripten)
//   desktop: OpenGL 3.3 core; libGL exports the 3.3 entry points on Linux
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
#endif
