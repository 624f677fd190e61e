#version 300 es
// Dear ImGui's vertices (position in framebuffer pixels, texture coordinate,
// colour) to clip space.
uniform mat4 u_projection;
// The font atlas's white texel, where ImGui points every solid shape; (-1, -1)
// when the texture is an image.
uniform vec2 u_white_uv;
in vec2 a_position;
in vec2 a_uv;
in vec4 a_color;
out vec2 v_uv;
out vec4 v_color;
// 1 for a solid shape. Flat, so a whole triangle skips the texture read:
// without a GPU (SwiftShader) that read is most of what a pixel costs.
flat out float v_solid;

void main() {
  v_uv = a_uv;
  v_color = a_color;
  v_solid = a_uv == u_white_uv ? 1.0 : 0.0;
  gl_Position = u_projection * vec4(a_position, 0.0, 1.0);
}
