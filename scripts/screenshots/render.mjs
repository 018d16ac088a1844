// Renders a real Mattermost thread (the JSON that the end-to-end test
// writes with WEGWIJS_SCREENSHOT_DIR) as an HTML page that looks like the
// Mattermost web app, for the pictures in docs/. Markdown by the "marked"
// package, with a line break for every newline, as Mattermost shows posts.
// Usage: node render.mjs thread.json out.html
import { readFileSync, writeFileSync } from "node:fs";
import { marked } from "marked";

const [, , input, output] = process.argv;
const thread = JSON.parse(readFileSync(input, "utf8"));
marked.use({ gfm: true, breaks: true });
const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const post = (who, bot, html, ephemeral) => `
  <div class="post${ephemeral ? " ephemeral" : ""}">
    <div class="avatar ${bot ? "bot" : ""}">${bot ? "W" : "M"}</div>
    <div class="body">
      <div class="head"><b>${who}</b>${bot ? '<span class="tag">BOT</span>' : ""}<span class="time">10:42</span>
        ${ephemeral ? '<span class="only">(Alleen zichtbaar voor jou)</span>' : ""}</div>
      <div class="msg">${html}</div>
    </div>
  </div>`;
let body = post(thread.asker || "marieke.mentor", false, `<p>${esc(thread.question).replace(/@wegwijs/g, '<span class="mention">@wegwijs</span>')}</p>`, false);
const buttons = (bs) => (bs && bs.length ? `<div class="buttons">${bs.map((b) =>
  `<span class="button ${b.style || ""}">${esc(b.name)}</span>`).join("")}</div>` : "");
for (const p of thread.posts) {
  body += post("wegwijs", true, marked.parse(p.message) + buttons(p.buttons), p.ephemeral);
}
writeFileSync(output, `<!doctype html><html lang="nl"><meta charset="utf-8">
<style>
  body { margin: 0; background: #fff; font: 14px/1.5 "Open Sans", "Noto Sans", Arial, sans-serif; color: #3d3c40; width: 760px; }
  .bar { background: #1e325c; color: #fff; padding: 10px 16px; font-weight: 600; }
  .post { display: flex; gap: 10px; padding: 10px 16px; }
  .post.ephemeral { background: #fff8e1; }
  .avatar { width: 36px; height: 36px; border-radius: 50%; background: #8e44ad; color: #fff; display: flex;
            align-items: center; justify-content: center; font-weight: 700; flex: none; }
  .avatar.bot { background: #166de0; }
  .head { margin-bottom: 2px; } .time { color: #8a8a8a; font-size: 12px; margin-left: 8px; }
  .tag { background: #e8e8e8; border-radius: 3px; font-size: 10px; font-weight: 700; padding: 1px 4px; margin-left: 6px; }
  .only { color: #8a8a8a; font-size: 12px; margin-left: 8px; font-style: italic; }
  .mention { color: #166de0; background: #e6f0fc; border-radius: 3px; padding: 0 2px; }
  .msg p { margin: 0 0 6px; } .msg blockquote { margin: 4px 0; padding: 0 0 0 10px; border-left: 4px solid #d0d0d0; color: #555; }
  .buttons { margin: 8px 0 2px; display: flex; gap: 8px; flex-wrap: wrap; }
  .button { border: 1px solid #c4c4c4; border-radius: 4px; padding: 4px 12px; font-weight: 600; color: #3d3c40; background: #fff; }
  .button.primary { background: #166de0; border-color: #166de0; color: #fff; }
  .button.danger { color: #d24b4e; border-color: #d24b4e; }
  .msg table { border-collapse: collapse; margin: 4px 0; font-size: 13px; } .msg td, .msg th { border: 1px solid #ddd; padding: 2px 6px; }
  .msg ul { margin: 2px 0 6px; padding-left: 20px; }
  .msg blockquote p { margin: 0; } .msg a { color: #166de0; text-decoration: none; } .msg em { color: #555; }
</style>
<div class="bar">~ ${esc(thread.channel || "Privébericht met wegwijs")}</div>${body}</html>`);
