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

  function setUpCopyButtons() {
    var blocks = document.querySelectorAll('.post-body pre > code')
    Array.prototype.forEach.call(blocks, function (code) {
      var pre = code.parentNode
      // The button sits in a wrapper, not in the <pre>, so that it stays put while the code
      // scrolls sideways. The wrapper has no box of its own: the page does not move.
      var wrapper = document.createElement('div')
      wrapper.className = 'code-block'
      pre.parentNode.insertBefore(wrapper, pre)
      wrapper.appendChild(pre)
      var button = document.createElement('button')
      button.type = 'button'
      button.className = 'copy'
      button.textContent = 'Copy'
      button.setAttribute('aria-live', 'polite')
      wrapper.appendChild(button)
      button.addEventListener('click', function () {
        var text = code.textContent
        var done = function () { say(button, 'Copied') }
        var selectInstead = function () {
          var range = document.createRange()
          range.selectNodeContents(code)
          var selection = window.getSelection()
          selection.removeAllRanges()
          selection.addRange(range)
          say(button, 'Press Ctrl+C')
        }
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, selectInstead)
        else selectInstead()
      })
    })
  }

  // A code block or table wider than the column scrolls inside itself; a keyboard can only
  // scroll it if it can take focus. Only the ones that overflow get a tab stop, and that changes
  // with the width of the window. (Recent Chromium and Firefox do this themselves; Safari doesn't.)
  function makeScrollersFocusable() {
    var scrollers = document.querySelectorAll('.post-body pre, .post-body table')
    Array.prototype.forEach.call(scrollers, function (el) {
      if (el.scrollWidth > el.clientWidth) el.setAttribute('tabindex', '0')
      else el.removeAttribute('tabindex')
    })
  }

  function ready() {
    setUpToggle()
    setUpCopyButtons()
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
