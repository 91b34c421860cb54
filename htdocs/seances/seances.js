/* Progressive enhancement of the module's forms: without JavaScript they work as they are.
 * A "show the password" box (hidden until this script shows it) and a Caps Lock hint. */
(function () {
    'use strict';
    document.querySelectorAll('[data-reveal]').forEach(function (box) {
        var input = document.getElementById(box.getAttribute('data-reveal'));
        var toggle = box.querySelector('input[type=checkbox]');
        if (!input || !toggle) {
            return;
        }
        box.hidden = false;
        toggle.addEventListener('change', function () {
            input.type = toggle.checked ? 'text' : 'password';
        });
        if (input.form) {
            /* never leave a visible password in the page the browser may keep */
            input.form.addEventListener('submit', function () {
                input.type = 'password';
            });
        }
    });
    document.querySelectorAll('[data-caps]').forEach(function (hint) {
        var input = document.getElementById(hint.getAttribute('data-caps'));
        if (!input) {
            return;
        }
        var check = function (e) {
            if (e.getModifierState) {
                hint.hidden = !e.getModifierState('CapsLock');
            }
        };
        input.addEventListener('keydown', check);
        input.addEventListener('keyup', check);
        input.addEventListener('blur', function () {
            hint.hidden = true;
        });
    });
})();
