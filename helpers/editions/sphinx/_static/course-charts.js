/* The web edition's charts: every div.course-chart holds a Vega-Lite spec (helpers/web_edition.py) and is
   drawn here with vega-embed from _static/vega-embed.js (a local file: no CDN). A chart that cannot be
   drawn says so in the page and in the console; data-course-chart tells the site's tests what happened. */
(function () {
  "use strict";

  function draw(holder) {
    var target = document.createElement("div");
    holder.appendChild(target);
    try {
      var spec = JSON.parse(holder.querySelector("script.course-chart-spec").textContent);
      var options = JSON.parse(holder.getAttribute("data-embed-options") || "{}");
      if (typeof window.vegaEmbed !== "function") {
        throw new Error("vega-embed.js did not load");
      }
      return window.vegaEmbed(target, spec, options).then(function () {
        holder.setAttribute("data-course-chart", "drawn");
      }).catch(function (error) { fail(holder, error); });
    } catch (error) {
      fail(holder, error);
    }
  }

  function fail(holder, error) {
    holder.setAttribute("data-course-chart", "failed");
    var note = document.createElement("p");
    note.className = "course-chart-error";
    note.textContent = "This chart could not be drawn: " + error;
    holder.appendChild(note);
    console.error("course chart:", error);
  }

  function drawAll() {
    document.querySelectorAll("div.course-chart:not([data-course-chart])").forEach(function (holder) {
      holder.setAttribute("data-course-chart", "drawing");
      draw(holder);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
