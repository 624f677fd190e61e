// The application.
//
// Index
//   - construction   the views, the engine link, saved results
//   - frame          header (presenter, share, export), the view, notices, demo script
//   - sharing        the link's state, opening a link, scenario files
//   - export         CSV, PNG (captured after the frame), scenario JSON
//   - state, commands
#include "app/app.h"

#include <algorithm>
#include <sstream>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/theme.h"
#include "app/views/exercises_view.h"
#include "app/views/memory_view.h"
#include "app/views/pattern_view.h"
#include "app/views/sandbox_view.h"
#include "app/views/streaming_view.h"
#include "app/views/training_view.h"
#include "core/training/config_schema.h"
#include "core/export/png.h"
#include "core/lab/presets.h"
#include "core/training/run_report.h"
#include "core/share/shared_state.h"
#include "imgui.h"

namespace attnlab {
namespace {

// What can be saved as a picture, per view: the recorded widget and its name.
struct PngTarget {
  const char* view;
  const char* item;
  const char* label;
};
constexpr PngTarget kPngTargets[] = {
    {"training", "training.heatmap.a", "Heatmap of A (PNG)"},
    {"training", "training.heatmap.b", "Heatmap of B (PNG)"},
    {"training", "training.plots", "Measures plots (PNG)"},
    {"memory", "memory.plots", "Sweep plots (PNG)"},
    {"streaming", "streaming.plots", "Streaming plots (PNG)"},
    {"patterns", "patterns.mask", "Attention pattern (PNG)"},
    {"sandbox", "sandbox.bars", "Attention row (PNG)"},
};

std::string file_stem(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '-';
  return out.empty() ? "attention-lab" : out;
}

}  // namespace

// ---- construction -----------------------------------------------------------------------

void LabContext::notify(const std::string& text, bool error) {
  notices.push_back({text, error, ImGui::GetTime() + (error ? 12.0 : 6.0)});
  if (notices.size() > 5) notices.erase(notices.begin());
}

App::App(Host* host, const LabLink::Factory& make_link) {
  lab_.host = host;
  lab_.link = make_link(
      [this](const nlohmann::json& reply) {
        if (reply.is_object() && reply.contains("ok") && reply["ok"] == false && reply.contains("errors"))
          for (const auto& e : reply["errors"]) lab_.notify(e.is_string() ? e.get<std::string>() : e.dump(), true);
      },
      [this](Snapshot&& s) { lab_.state.apply(std::move(s)); });
  lab_.results.load(*host);
  views_.push_back(std::make_unique<SandboxView>());
  views_.push_back(std::make_unique<PatternView>());
  views_.push_back(std::make_unique<TrainingView>(&lab_));
  views_.push_back(std::make_unique<MemoryView>(&lab_));
  views_.push_back(std::make_unique<StreamingView>(&lab_));
  views_.push_back(std::make_unique<ExercisesView>(
      &lab_, [this] { return state(); }, [this](const nlohmann::json& c) { return command(c); }));
}

bool App::wants_space() const { return !ImGui::GetIO().WantTextInput; }

void App::on_space() {
  std::vector<std::string> errors;
  if (std::string(views_[current_]->id()) == "training") views_[current_]->command("toggle", {}, &errors);
}

App::~App() = default;

View* App::view(const std::string& id) {
  for (auto& v : views_)
    if (id == v->id()) return v.get();
  return nullptr;
}

const View* App::view(const std::string& id) const { return const_cast<App*>(this)->view(id); }

// ---- frame ------------------------------------------------------------------------------

void App::update() {
  lab_.link->pump();
  for (const std::string& e : lab_.state.errors) lab_.notify(e, true);
  lab_.state.errors.clear();
  for (auto& v : views_) v->update();
  lab_.results.record_training(view("training")->state().value("preset", std::string()), lab_.state);
  lab_.results.save_if_due(*lab_.host, ImGui::GetTime());
}

void App::frame() {
  begin_item_frame();
  update();
  // The one animation ImGui draws on its own: the text cursor's blink.
  ImGui::GetIO().ConfigInputTextCursorBlink = !reduce_motion_;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  // Presenter mode keeps a strip at the bottom for the demo script.
  std::string script_title;
  const std::vector<std::string>* steps = presenter_ ? script(&script_title) : nullptr;
  const float strip = steps ? ImGui::GetFrameHeight() * 2.0f + ImGui::GetStyle().WindowPadding.y * 2.0f : 0.0f;
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, viewport->WorkSize.y - strip));
  // No background: the frame's clear paints it (platform/main.cpp), which is
  // much cheaper than a full-screen quad when the browser has no GPU.
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground;
  ImGui::Begin("Attention Lab", nullptr, flags);
  draw_header();
  views_[current_]->draw();
  ImGui::End();
  if (steps) draw_script(script_title, *steps, strip);
  draw_notices();
}

void App::draw_header() {
  std::vector<std::string> errors;
  heading("Attention Lab");
  if (!presenter_) {
    ImGui::SameLine();
    ImGui::TextDisabled("  how attention behaves, and how to fix it");
  }
  if (!lab_.link->failure().empty()) {
    ImGui::SameLine();
    ImGui::TextColored(theme_colors().warn, "  Training engine stopped: %s", lab_.link->failure().c_str());
  }
  // Right-aligned: presenter mode, share, export.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float buttons = ImGui::CalcTextSize("Presenter modeShare linkExport...").x + 6 * style.FramePadding.x +
                        2 * style.ItemSpacing.x + ImGui::GetFrameHeight() + style.ItemInnerSpacing.x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - buttons));
  bool on = presenter_;
  if (ImGui::Checkbox("Presenter mode", &on)) command({{"cmd", "app.presenter"}, {"on", on}});
  record_item("app.presenter");
  if (ImGui::IsItemHovered() && !presenter_)
    ImGui::SetTooltip("For a projector: larger type, high contrast, less text, big Play and Step buttons, and the "
                      "scenario's demo script.");
  ImGui::SameLine();
  if (ImGui::Button("Share link")) {
    const nlohmann::json r = command({{"cmd", "app.share"}});
    (void)r;
    ImGui::OpenPopup("##shared");
  }
  record_item("app.share");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Puts this scenario (view, preset, settings, interventions) in the address bar and copies the "
                      "link: opening it replays the same run from the same seed.");
  if (ImGui::BeginPopup("##shared")) {
    ImGui::TextUnformatted("The link to this scenario (copied to the clipboard):");
    std::vector<char> buf(shared_url_.begin(), shared_url_.end());
    buf.push_back('\0');
    ImGui::SetNextItemWidth(px(520.0f));
    ImGui::InputText("##url", buf.data(), buf.size(), ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
    ImGui::TextDisabled("%d characters", static_cast<int>(shared_url_.size()));
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Export...")) ImGui::OpenPopup("##export");
  record_item("app.export");
  draw_export_menu();

  if (ImGui::BeginTabBar("##views")) {
    for (size_t i = 0; i < views_.size(); ++i) {
      const ImGuiTabItemFlags f = select_tab_ && i == current_ ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
      const bool open = ImGui::BeginTabItem(views_[i]->title(), nullptr, f);
      record_item((std::string("tab.") + views_[i]->id()).c_str());
      if (open) {
        if (!select_tab_) current_ = i;
        ImGui::EndTabItem();
      }
    }
    select_tab_ = false;
    ImGui::EndTabBar();
  }
  for (const std::string& e : errors) lab_.notify(e, true);
}

void App::draw_export_menu() {
  if (!ImGui::BeginPopup("##export")) return;
  std::vector<std::string> errors;
  const std::string current = views_[current_]->id();
  const nlohmann::json items = recorded_items();
  ImGui::TextDisabled("Save as a file (a browser download)");
  if (ImGui::MenuItem("Measures history (CSV)", nullptr, false, lab_.state.loaded)) export_now("csv", &errors);
  record_item("app.export.csv");
  for (const PngTarget& t : kPngTargets) {
    if (current != t.view) continue;
    if (ImGui::MenuItem(t.label, nullptr, false, items.contains(t.item))) export_now(std::string("png:") + t.item, &errors);
    record_item((std::string("app.export.png:") + t.item).c_str());
  }
  if (ImGui::MenuItem("Scenario (JSON)")) export_now("scenario", &errors);
  record_item("app.export.scenario");
  ImGui::Separator();
  if (ImGui::MenuItem("Open a scenario file (JSON)...")) {
    const nlohmann::json r = command({{"cmd", "app.import_file"}});
    for (const auto& e : r.value("errors", nlohmann::json::array())) errors.push_back(e.get<std::string>());
  }
  record_item("app.export.import");
  ImGui::EndPopup();
  for (const std::string& e : errors) lab_.notify(e, true);
}

// Messages for the user (refused settings, engine errors, what a link did), top right.
void App::draw_notices() {
  const double now = ImGui::GetTime();
  auto& n = lab_.notices;
  n.erase(std::remove_if(n.begin(), n.end(), [&](const Notice& x) { return x.expires < now; }), n.end());
  if (n.empty()) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // Below the header's buttons, which must stay clickable.
  const float below_header = ImGui::GetFrameHeightWithSpacing() * 2.0f + px(24.0f);
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - px(16.0f), vp->WorkPos.y + below_header),
                          ImGuiCond_Always, ImVec2(1.0f, 0.0f));
  ImGui::SetNextWindowBgAlpha(0.96f);
  ImGui::Begin("##notices", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  ImGui::PushTextWrapPos(px(460.0f));
  for (const Notice& x : n) {
    ImGui::TextColored(x.error ? theme_colors().warn : theme_colors().good, "%s", x.error ? "Not applied:" : "Note:");
    ImGui::TextUnformatted(x.text.c_str());
  }
  ImGui::PopTextWrapPos();
  // They also fade on their own; a teacher may want the screen clear now.
  if (ImGui::SmallButton("Dismiss")) n.clear();
  record_item("app.notices.dismiss");
  ImGui::End();
}

// The current scenario's demo script (presenter mode), bottom right.
const std::vector<std::string>* App::script(std::string* title) const {
  std::string id;
  const std::string current = views_[current_]->id();
  if (current == "training") id = views_[current_]->state().value("preset", std::string());
  if (current == "memory" || current == "streaming") id = views_[current_]->state().value("shown", std::string());
  if (current == "memory" && id.empty()) id = "memory-capacity";
  if (current == "streaming" && id.empty()) id = "streaming-sinks";
  const Preset* p = find_preset(id);
  if (!p || p->script.empty()) return nullptr;
  *title = p->title;
  return &p->script;
}

void App::draw_script(const std::string& title, const std::vector<std::string>& steps, float height) {
  if (title != script_for_) script_for_ = title, script_step_ = 0;
  script_step_ = std::clamp(script_step_, 0, static_cast<int>(steps.size()) - 1);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - height));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, height));
  ImGui::Begin("##script", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing);
  const ImVec2 button(px(80.0f), ImGui::GetFrameHeight() * 2.0f - ImGui::GetStyle().ItemSpacing.y);
  ImGui::BeginDisabled(script_step_ == 0);
  if (ImGui::Button("Back", button)) --script_step_;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(script_step_ + 1 >= static_cast<int>(steps.size()));
  if (ImGui::Button("Next", button)) ++script_step_;
  record_item("app.script.next");
  ImGui::EndDisabled();
  ImGui::SameLine(0, px(16.0f));
  ImGui::BeginGroup();
  ImGui::TextDisabled("Demo script, %s: step %d of %d", title.c_str(), script_step_ + 1, static_cast<int>(steps.size()));
  ImGui::PushFont(heading_font());
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(steps[script_step_].c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::EndGroup();
  ImGui::End();
}

// ---- sharing ----------------------------------------------------------------------------

nlohmann::json App::share_state() const {
  const std::string current = views_[current_]->id();
  nlohmann::json s = {{"v", 1}, {"view", current}};
  if (presenter_) s["presenter"] = true;
  const nlohmann::json training = view("training")->state();
  const std::string preset = training.value("preset", std::string());
  const nlohmann::json scenario = training.value("scenario", nlohmann::json());
  if (scenario.is_object()) {
    nlohmann::json sc = scenario;
    sc.erase("interventions");
    if (lab_.state.scenario == sc.value("name", std::string()) && !lab_.state.interventions.empty())
      sc["interventions"] = lab_.state.interventions;
    if (preset.empty() || sc.contains("interventions")) s["scenario"] = sc;  // a preset alone is a shorter link
    if (!preset.empty()) s["preset"] = preset;
    s["training"] = training["view"];
    s["training"]["speed"] = training["speed"];
  }
  if (current == "memory" || current == "streaming") {
    const std::string shown = views_[current_]->state().value("shown", std::string());
    if (!shown.empty()) s["preset"] = shown;
  }
  const nlohmann::json sandbox = view("sandbox")->state();
  s["sandbox"] = nlohmann::json::object();
  for (const char* k : {"logits", "globals", "temperature", "softmax1", "peakThreshold"}) s["sandbox"][k] = sandbox[k];
  s["patterns"] = view("patterns")->state()["settings"];
  if (current == "exercises") s["exercise"] = view("exercises")->state()["open"];
  return s;
}

void App::apply_shared(const SharedState& s) {
  std::vector<std::string> errors;
  auto run = [&](const nlohmann::json& cmd) {
    const nlohmann::json r = command(cmd);
    for (const auto& e : r.value("errors", nlohmann::json::array())) errors.push_back("link: " + e.get<std::string>());
    return r.value("ok", false);
  };
  if (s.has_presenter) presenter_ = s.presenter;
  if (s.sandbox.is_object()) {
    run({{"cmd", "sandbox.reset"}});
    nlohmann::json c = s.sandbox;
    c["cmd"] = "sandbox.set";
    run(c);
  }
  if (s.patterns.is_object()) {
    run({{"cmd", "patterns.reset"}});
    nlohmann::json c = s.patterns;
    c["cmd"] = "patterns.set";
    run(c);
  }
  const Preset* preset = s.preset.empty() ? nullptr : find_preset(s.preset);
  if (s.scenario.is_object()) {
    run({{"cmd", "training.load"}, {"scenario", s.scenario}});
  } else if (preset && preset->view == "training") {
    run({{"cmd", "training.load"}, {"preset", preset->id}});
  } else if (preset) {
    run({{"cmd", preset->view + ".start"}, {"preset", preset->id}});
  }
  if (s.training.is_object()) {
    nlohmann::json v = {{"cmd", "training.view"}};
    for (const char* k : {"layer", "head", "query"})
      if (s.training.contains(k)) v[k] = static_cast<int>(s.training[k].get<double>());
    if (v.size() > 1) run(v);
    if (s.training.contains("speed")) run({{"cmd", "training.speed"}, {"steps_per_second", s.training["speed"]}});
  }
  std::string target = s.view;
  if (!s.exercise.empty()) {
    if (run({{"cmd", "exercises.open"}, {"id", s.exercise}}) && target.empty()) target = "exercises";
  }
  if (target.empty() && preset) target = preset->view;
  if (!target.empty()) run({{"cmd", "view.select"}, {"view", target}});
  for (const std::string& e : errors) lab_.notify(e, true);
}

// ---- export -----------------------------------------------------------------------------

bool App::export_now(const std::string& what, std::vector<std::string>* errors) {
  const std::string stem = file_stem(lab_.state.scenario.empty() ? "attention-lab" : lab_.state.scenario);
  std::string where;
  if (what == "csv") {
    if (lab_.state.runs.empty() || lab_.state.runs[0].history.empty()) {
      errors->push_back("export: there are no measures yet (load a scenario in the Training lab and train it)");
      return false;
    }
    // One file: a "run" column, then the runner's columns (the CLI's --csv has the same columns).
    std::ostringstream out;
    bool header = true;
    for (const RunView& r : lab_.state.runs) {
      RunConfig c;
      std::vector<std::string> e;
      config_update_from_json(&c, r.config, &e);
      std::ostringstream one;
      write_history_csv(one, r.history, c, r.groups);
      std::istringstream lines(one.str());
      std::string line;
      bool first = true;
      while (std::getline(lines, line)) {
        if (first && !header) {
          first = false;
          continue;
        }
        out << (first ? "run" : r.id + " (" + r.label + ")") << ',' << line << '\n';
        first = header = false;
      }
    }
    lab_.host->download_file(stem + "-measures.csv", "text/csv", out.str(), &where);
  } else if (what == "scenario") {
    lab_.host->download_file(stem + "-scenario.json", "application/json", share_state().dump(2) + "\n", &where);
  } else if (what.rfind("png:", 0) == 0) {
    const std::string item = what.substr(4);
    const nlohmann::json items = recorded_items();
    if (!items.contains(item)) {
      errors->push_back("export: \"" + item + "\" is not on screen (open its view first)");
      return false;
    }
    const nlohmann::json r = items[item];
    const float s = pixel_ratio();
    capture_ = {stem + "-" + file_stem(item.substr(item.find('.') + 1)) + ".png",
                static_cast<int>(r[0].get<double>() * s), static_cast<int>(r[1].get<double>() * s),
                static_cast<int>((r[2].get<double>() - r[0].get<double>()) * s),
                static_cast<int>((r[3].get<double>() - r[1].get<double>()) * s)};
    capture_wait_ = 2;  // let the menu close first
    return true;
  } else {
    errors->push_back("what: must be csv, scenario or png:<item>");
    return false;
  }
  ++exports_;
  last_export_ = what;
  lab_.notify("Saved to " + where + ".", false);
  return true;
}

bool App::capture_due(Capture* c) {
  if (capture_wait_ < 0) return false;
  if (capture_wait_-- > 0) return false;
  *c = capture_;
  return c->w > 0 && c->h > 0;
}

void App::finish_capture(const Capture& c, const std::vector<uint8_t>& rgba) {
  std::string where;
  lab_.host->download_file(c.filename, "image/png", encode_png(rgba.data(), c.w, c.h), &where);
  ++exports_;
  last_export_ = "png:" + c.filename;
  lab_.notify("Saved to " + where + ".", false);
}

// ---- state, commands --------------------------------------------------------------------

nlohmann::json App::state() const {
  nlohmann::json s = {{"view", views_[current_]->id()}};
  for (const auto& v : views_) s[v->id()] = v->state();
  s["lab"] = lab_.state.to_json();
  s["results"] = lab_.results.json();
  s["presenter"] = presenter_;
  s["reduce_motion"] = reduce_motion_;
  s["script"] = {{"for", script_for_}, {"step", script_step_}};
  s["share"] = {{"url", shared_url_}, {"notices", link_notices_}};
  s["exports"] = {{"count", exports_}, {"last", last_export_}};
  s["engine"] = {{"ready", lab_.link->ready()}, {"failure", lab_.link->failure()}};
  s["notices"] = nlohmann::json::array();
  for (const Notice& n : lab_.notices) s["notices"].push_back({{"text", n.text}, {"error", n.error}});
  s["ui"] = recorded_items();
  s["perf"] = lab_.host->frame_stats();
  // What the accessible page lists as choices (web/attnlab-access.js): the
  // views, and every preset with the view that runs it.
  nlohmann::json views = nlohmann::json::array(), ps = nlohmann::json::array();
  for (const auto& v : views_) views.push_back({{"id", v->id()}, {"title", v->title()}});
  for (const Preset& p : presets())
    ps.push_back({{"id", p.id}, {"view", p.view}, {"title", p.title}, {"summary", p.summary}});
  s["catalog"] = {{"views", views}, {"presets", ps}};
  return s;
}

nlohmann::json App::command(const nlohmann::json& cmd) {
  auto fail = [](std::string message) {
    return nlohmann::json{{"ok", false}, {"errors", {std::move(message)}}};
  };
  if (!cmd.is_object() || !cmd.contains("cmd") || !cmd["cmd"].is_string())
    return fail("cmd: a command is an object with a string field \"cmd\"");
  const std::string name = cmd["cmd"].get<std::string>();
  std::string known;
  for (const auto& v : views_) known += std::string(known.empty() ? "" : ", ") + v->id();
  if (name == "view.select") {
    const auto it = cmd.find("view");
    for (size_t i = 0; it != cmd.end() && it->is_string() && i < views_.size(); ++i)
      if (*it == views_[i]->id()) {
        current_ = i;
        select_tab_ = true;
        return {{"ok", true}};
      }
    return fail("view: must be one of " + known);
  }
  if (name == "app.link" || name == "app.import") {
    std::vector<std::string> notices;
    SharedState s;
    if (name == "app.link") {
      if (!cmd.contains("fragment") || !cmd["fragment"].is_string()) return fail("fragment: the link's #... part, as text");
      s = parse_shared_state(cmd["fragment"], &notices);
    } else {
      if (!cmd.contains("text") || !cmd["text"].is_string()) return fail("text: the scenario file's contents");
      const nlohmann::json j = nlohmann::json::parse(cmd["text"].get<std::string>(), nullptr, false);
      if (j.is_discarded()) notices.push_back("scenario file: not valid JSON; nothing was loaded");
      else s = parse_shared_json(j, &notices);
    }
    // One notice for the whole link, listing every refused field.
    if (!notices.empty()) {
      std::string text = name == "app.link" ? "The link was opened with defaults where it was wrong:"
                                            : "The scenario file was opened with defaults where it was wrong:";
      for (size_t i = 0; i < notices.size() && i < 12; ++i) text += "\n- " + notices[i];
      if (notices.size() > 12) text += "\n- ... and " + std::to_string(notices.size() - 12) + " more";
      lab_.notify(text, true);
    }
    link_notices_ = notices;
    apply_shared(s);
    if (name == "app.import" && notices.empty()) lab_.notify("Opened the scenario file.", false);
    return {{"ok", true}, {"notices", notices}};
  }
  if (name == "app.import_file") {
    if (!lab_.host->pick_text_file("app.import", ".json,application/json"))
      return fail("app: there is no file picker on the desktop; open the scenario file in the browser version");
    return {{"ok", true}};
  }
  if (name == "app.share") {
    shared_url_ = lab_.host->share_fragment(encode_shared_state(share_state()));
    lab_.notify("Link copied. Opening it replays this scenario from the same seed.", false);
    return {{"ok", true}, {"url", shared_url_}};
  }
  if (name == "app.notice") {  // a message from the page (e.g. a file that could not be read)
    if (!cmd.contains("text") || !cmd["text"].is_string()) return fail("text: the message");
    lab_.notify(cmd["text"].get<std::string>().substr(0, 400), cmd.value("error", false));
    return {{"ok", true}};
  }
  if (name == "app.motion") {  // the system's reduced-motion preference, from the page
    if (!cmd.contains("reduce") || !cmd["reduce"].is_boolean()) return fail("reduce: true or false");
    reduce_motion_ = cmd["reduce"];
    return {{"ok", true}};
  }
  if (name == "app.presenter") {
    if (!cmd.contains("on") || !cmd["on"].is_boolean()) return fail("on: must be true or false");
    presenter_ = cmd["on"];
    return {{"ok", true}};
  }
  if (name == "app.redraw") {  // for bench/frame_bench.mjs: the cost of drawing every frame
    const auto it = cmd.find("every_frame");
    if (it == cmd.end() || !it->is_boolean()) return fail("every_frame: must be true or false");
    redraw_every_frame_ = *it;
    return {{"ok", true}};
  }
  if (name == "app.export") {
    std::vector<std::string> errors;
    if (!cmd.contains("what") || !cmd["what"].is_string()) return fail("what: must be csv, scenario or png:<item>");
    if (!export_now(cmd["what"], &errors)) return {{"ok", false}, {"errors", errors}};
    return {{"ok", true}};
  }
  if (name == "app.script") {
    if (!cmd.contains("step") || !cmd["step"].is_number_integer()) return fail("step: must be an integer");
    script_step_ = std::max(0, cmd["step"].get<int>());
    return {{"ok", true}};
  }
  const size_t dot = name.find('.');
  View* v = dot == std::string::npos ? nullptr : view(name.substr(0, dot));
  if (!v) return fail("cmd: unknown command \"" + name + "\" (view.select, app.*, or <view>.<command> for views " + known + ")");
  nlohmann::json args = cmd;
  args.erase("cmd");
  std::vector<std::string> errors;
  if (!v->command(name.substr(dot + 1), args, &errors)) return fail("cmd: the " + std::string(v->id()) + " view has no command \"" + name.substr(dot + 1) + "\"");
  if (!errors.empty()) return {{"ok", false}, {"errors", errors}};
  return {{"ok", true}};
}

}  // namespace attnlab
