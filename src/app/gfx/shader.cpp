#include "app/gfx/shader.h"

#include <vector>

#include "app/embedded.h"

namespace attnlab {
namespace {

std::string expand_source(const char* file, std::string* error, int depth = 0) {
  std::string_view text = embedded_file(file);
  if (text.empty()) {
    *error += std::string("shader file not embedded: ") + file + "\n";
    return {};
  }
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.rfind("#include \"", 0) == 0 && depth < 4) {
      size_t q = line.find('"', 10);
      out += expand_source(std::string(line.substr(10, q - 10)).c_str(), error, depth + 1);
    } else if (line.rfind("#version 300 es", 0) == 0) {
#ifdef __EMSCRIPTEN__
      out += line;
#else
      out += "#version 330 core";
#endif
    } else {
      out += line;
    }
    out += '\n';
    pos = end + 1;
  }
  return out;
}

// The info log of a shader or a program (GL has a pair of calls for each).
std::string info_log(GLuint object, bool is_program) {
  GLint len = 0;
  (is_program ? glGetProgramiv : glGetShaderiv)(object, GL_INFO_LOG_LENGTH, &len);
  std::vector<char> log(len + 1, '\0');
  (is_program ? glGetProgramInfoLog : glGetShaderInfoLog)(object, len, nullptr, log.data());
  return log.data();
}

GLuint compile(GLenum type, const char* file, std::string* error) {
  std::string source = expand_source(file, error);
  if (source.empty()) return 0;
  GLuint shader = glCreateShader(type);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    *error += std::string(file) + ": " + info_log(shader, false);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

}  // namespace

GLuint build_program(const char* vertex_file, const char* fragment_file, std::string* error) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertex_file, error);
  GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_file, error);
  if (!vs || !fs) {
    if (vs) glDeleteShader(vs);
    if (fs) glDeleteShader(fs);
    return 0;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    *error += std::string("linking ") + vertex_file + " + " + fragment_file + ": " + info_log(program, true);
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

}  // namespace attnlab
