#version 300 es
// Draws attention data through the viridis colormap, as a heatmap or as bars.
//   u_data: RG32F [rows x cols], row 0 = top.
//     R: the value (a weight); negative means "masked: this pair is not scored".
//     G: the kind of column: 0 an ordinary key, 1 a global/sink/register token.
//   u_mode 0 heatmap: one cell per texel.
//   u_mode 1 bars: row 0 only, one bar per column, height = value in u_range.
precision highp float;
precision highp sampler2D;

#include "viridis.glsl"

uniform sampler2D u_data;
uniform int u_mode;
uniform vec2 u_range;        // value lo, hi mapped to colormap 0..1 (and bar height 0..1)
uniform vec2 u_size_px;      // size of the target in pixels
uniform vec3 u_background;   // behind ordinary keys
uniform vec3 u_special_bg;   // behind global tokens
uniform vec3 u_masked;       // colour of masked cells

in vec2 v_uv;
out vec4 frag_color;

float normalized(float v) { return clamp((v - u_range.x) / max(u_range.y - u_range.x, 1e-12), 0.0, 1.0); }

void main() {
  ivec2 dims = textureSize(u_data, 0);
  vec2 pos = vec2(v_uv.x, 1.0 - v_uv.y);  // top-down, like the data
  vec2 px = gl_FragCoord.xy;

  if (u_mode == 0) {
    ivec2 cell = ivec2(min(pos * vec2(dims), vec2(dims) - 1.0));
    vec2 d = texelFetch(u_data, cell, 0).rg;
    if (d.r < 0.0) {
      // Masked: diagonal hatching, so "not scored" never reads as "weight 0".
      float stripe = step(0.5, fract((px.x + px.y) / 6.0));
      frag_color = vec4(mix(u_masked, u_masked * 0.75, stripe), 1.0);
    } else {
      frag_color = vec4(viridis(normalized(d.r)), 1.0);
    }
    return;
  }

  float x = pos.x * float(dims.x);
  int i = min(int(x), dims.x - 1);
  float f = fract(x);
  vec2 d = texelFetch(u_data, ivec2(i, 0), 0).rg;
  vec3 bg = d.g > 0.5 ? u_special_bg : u_background;
  float column_px = u_size_px.x / float(dims.x);
  float gap = clamp(1.5 / column_px, 0.06, 0.3);        // gap between bars, >= 1.5 px
  float height = 1.0 - pos.y;                           // 0 at the bottom
  float value = normalized(d.r);
  float min_height = 2.0 / u_size_px.y;                 // a zero weight still shows a 2 px stub
  bool inside = f > gap && f < 1.0 - gap && height <= max(value, min_height);
  frag_color = vec4(inside ? viridis(value) : bg, 1.0);
}
