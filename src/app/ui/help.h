// Small widgets shared by every view.
#pragma once

namespace attnlab {

// A dimmed "(?)" on the same line; hovering it shows text (wrapped). With a
// right_edge (screen x), it ends there at the latest, over a line clipped short of it.
void help_marker(const char* text, float right_edge = 0.0f);

// A view's opening line: "What am I looking at?", a "(?)" with the longer
// help, and a short wrapped summary. Hidden in presenter mode (clutter on a
// projector; the presenter explains).
void view_intro(const char* help, const char* summary);

// A section title in the heading font.
void heading(const char* text);

}  // namespace attnlab
