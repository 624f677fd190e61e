#version 300 es
// Dear ImGui's triangles: vertex colour times the texture (the font atlas,
// or an image such as a heatmap drawn by colormap.frag). Solid shapes sample
// the atlas's white texel, so they skip the read: the colour is the same.
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_color;
flat in float v_solid;
out vec4 frag_color;

void main() { frag_color = v_solid > 0.5 ? v_color : v_color * texture(u_texture, v_uv); }
