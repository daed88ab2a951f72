// The one script, served like the stylesheet (see edge/assets.ts) and loaded without `defer` from
// <head>: it must set the reader's theme before the first paint, or a reader who chose light on a
// dark system (or the reverse) would see the page flash. Everything else waits for the DOM.
// Pages work without it: the theme then follows prefers-color-scheme, the toggle stays hidden,
// code can be selected by hand and the table of contents opens with a click.
// Plain ES2017, no build step: it is served exactly as written here.
export const SCRIPT = `(function () {
  'use strict'
  var root = document.documentElement
  var KEY = 'quire-theme'
  var systemDark = window.matchMedia('(prefers-color-scheme: dark)')
  // Same breakpoint as the stylesheet's single-column layout.
  var wide = window.matchMedia('(min-width: 56.01rem)')

  function stored() {
    try { return localStorage.getItem(KEY) } catch (e) { return null }
  }
  function apply(theme) {
    if (theme === 'dark' || theme === 'light') root.setAttribute('data-theme', theme)
    else root.removeAttribute('data-theme')
  }
  function isDark() {
    var theme = root.getAttribute('data-theme')
    return theme ? theme === 'dark' : systemDark.matches
  }

  root.classList.add('js')
  apply(stored())

  // The contents start closed, which suits phones; on wide screens open them as the parser
  // inserts them, before anything is painted, so nothing below them moves.
  if (wide.matches) {
    var opener = new MutationObserver(function () {
      var toc = document.querySelector('.toc details')
      if (toc) { toc.open = true; opener.disconnect() }
    })
    opener.observe(root, { childList: true, subtree: true })
    document.addEventListener('DOMContentLoaded', function () { opener.disconnect() })
  }

  function setUpToggle() {
    var toggle = document.querySelector('.theme-toggle')
    if (!toggle) return
    function show() { toggle.setAttribute('aria-pressed', String(isDark())) }
    show()
    systemDark.addEventListener('change', show)
    // Another tab changed the theme.
    window.addEventListener('storage', function (event) {
      if (event.key === KEY) { apply(event.newValue); show() }
    })
    toggle.addEventListener('click', function () {
      var theme = isDark() ? 'light' : 'dark'
      apply(theme)
      try { localStorage.setItem(KEY, theme) } catch (e) {}
      show()
    })
  }

  function say(button, text) {
    button.textContent = text
    clearTimeout(button.quireTimer)
    button.quireTimer = setTimeout(function () { button.textContent = 'Copy' }, 2000)
  }

  function copy(button) {
    var code = button.parentNode.querySelector('code')
    var done = function () { say(button, 'Copied') }
    var selectInstead = function () {
      var range = document.createRange()
      range.selectNodeContents(code)
      var selection = window.getSelection()
      selection.removeAllRanges()
      selection.addRange(range)
      say(button, 'Press Ctrl+C')
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(code.textContent).then(done, selectInstead)
    else selectInstead()
  }

  // The button goes inside the <pre>, which the stylesheet positions it against; the <code> in
  // it is what scrolls sideways, so the button stays put. Nothing else moves.
  function addCopyButtons() {
    var blocks = document.querySelectorAll('.post-body pre > code')
    Array.prototype.forEach.call(blocks, function (code) {
      var button = document.createElement('button')
      button.type = 'button'
      button.className = 'copy'
      button.textContent = 'Copy'
      button.setAttribute('aria-live', 'polite')
      code.parentNode.appendChild(button)
    })
    document.addEventListener('click', function (event) {
      var button = event.target.closest && event.target.closest('button.copy')
      if (button) copy(button)
    })
  }

  // A code block or table wider than the column scrolls inside itself; a keyboard can only
  // scroll it if it can take focus. Only the ones that overflow get a tab stop, and that changes
  // with the width of the window. (Recent Chromium and Firefox do this themselves; Safari doesn't.)
  // All reads come before all writes, so the layout is computed once.
  function makeScrollersFocusable() {
    var scrollers = Array.prototype.slice.call(document.querySelectorAll('.post-body pre > code, .post-body table'))
    var overflows = scrollers.map(function (el) { return el.scrollWidth > el.clientWidth })
    scrollers.forEach(function (el, i) {
      if (overflows[i]) el.setAttribute('tabindex', '0')
      else el.removeAttribute('tabindex')
    })
  }

  function ready() {
    setUpToggle()
    addCopyButtons()
    makeScrollersFocusable()
    var pending
    window.addEventListener('resize', function () {
      clearTimeout(pending)
      pending = setTimeout(makeScrollersFocusable, 200)
    })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready)
  else ready()
})()
`
