// viridis(t), t in [0,1]: a perceptually uniform colormap that stays readable
// with the common colour-vision deficiencies and in grayscale.
// Degree-6 polynomial fit to matplotlib's viridis table (CC0), max error
// 4.3/255 per channel; tools/fit_colormap.py produced these coefficients.
vec3 viridis(float t) {
  const vec3 c0 = vec3(+0.274455, +0.005768, +0.332664);
  const vec3 c1 = vec3(+0.107708, +1.396470, +1.386771);
  const vec3 c2 = vec3(-0.327241, +0.214814, +0.091977);
  const vec3 c3 = vec3(-4.599932, -5.758238, -19.291809);
  const vec3 c4 = vec3(+6.203736, +14.153965, +56.656300);
  const vec3 c5 = vec3(+4.751787, -13.749439, -65.320968);
  const vec3 c6 = vec3(-5.432077, +4.641571, +26.272108);
  t = clamp(t, 0.0, 1.0);
  return clamp(c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6))))), 0.0, 1.0);
}
