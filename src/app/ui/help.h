// Small widgets shared by every view.
#pragma once

namespace attnlab {

// A dimmed "(?)" on the same line; hovering it shows text (wrapped).
void help_marker(const char* text);

// A section title in the heading font.
void heading(const char* text);

}  // namespace attnlab
