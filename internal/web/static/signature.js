// Signature pad for the loan agreement at the desk. Progressive enhancement
// only: without JavaScript the learner's typed full name is the signature.
// It draws on a 600 x 200 canvas and writes the strokes into the hidden
// "signature" field as an SVG path of M and L commands, the form the server
// accepts.
(function () {
  "use strict";
  var holder = document.getElementById("signature-pad");
  var field = document.getElementById("signature");
  if (!holder || !field || !window.PointerEvent) {
    return;
  }
  var W = 600, H = 200;
  var canvas = document.createElement("canvas");
  canvas.width = W;
  canvas.height = H;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", holder.getAttribute("data-label") || "");
  canvas.style.border = "2px solid #8695a8";
  canvas.style.maxWidth = "100%";
  canvas.style.touchAction = "none";
  canvas.style.background = "#fff";
  var clear = document.createElement("button");
  clear.type = "button";
  clear.className = "button button--secondary button--small";
  clear.textContent = holder.getAttribute("data-clear") || "Clear";
  holder.appendChild(canvas);
  holder.appendChild(document.createElement("br"));
  holder.appendChild(clear);

  var ctx = canvas.getContext("2d");
  ctx.lineWidth = 2.5;
  ctx.lineCap = "round";
  ctx.strokeStyle = "#000";
  var parts = [];
  var drawing = false;

  function point(e) {
    var r = canvas.getBoundingClientRect();
    var x = Math.min(W, Math.max(0, (e.clientX - r.left) * W / r.width));
    var y = Math.min(H, Math.max(0, (e.clientY - r.top) * H / r.height));
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  }
  canvas.addEventListener("pointerdown", function (e) {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    var p = point(e);
    parts.push("M" + p[0] + " " + p[1]);
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) {
      return;
    }
    var p = point(e);
    parts.push("L" + p[0] + " " + p[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
  });
  function end() {
    if (drawing) {
      drawing = false;
      field.value = parts.join(" ");
    }
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clear.addEventListener("click", function () {
    parts = [];
    field.value = "";
    ctx.clearRect(0, 0, W, H);
  });
})();
