/**
 * Steps shared by the Clever POS tours. A manager's approval is given as at the till: the test
 * puts the managers' current codes in window.cleverTestApprovalCodes and the tour types one into
 * the approval dialog.
 */
export function approveWithCode(index = 0, { expectUnloadPage = false } = {}) {
    const steps = [
        {
            content: "the manager approval dialog waits",
            trigger: ".modal .o_clever_approval_panel[data-state='pending'] .o_clever_approval_code",
        },
        {
            content: `the manager types approval code #${index}`,
            trigger: ".modal .o_clever_approval_code",
            run: async (helpers) => helpers.edit(window.cleverTestApprovalCodes[index]),
        },
        {
            content: "submit the manager's code",
            trigger: ".modal .o_clever_approval_submit",
            run: "click",
            expectUnloadPage,
        },
    ];
    if (!expectUnloadPage) {
        steps.push({
            content: "the approval dialog is gone",
            trigger: "body:not(:has(.o_clever_approval_panel))",
        });
    }
    return steps;
}

export function openShiftWithApproval(amount, codeIndex = 0) {
    return [
        {
            content: "start the POS",
            trigger: ".screen-login .btn.open-register-btn",
            run: "click",
        },
        {
            content: "count the opening cash",
            trigger: ".modal .cash-input-sub-section input",
            run: `edit ${amount}`,
        },
        {
            content: "open the register",
            trigger: ".modal .modal-footer .btn-primary:contains('Open Register')",
            run: "click",
        },
        ...approveWithCode(codeIndex),
        {
            content: "the sale screen is there, the opening popup is gone",
            trigger: ".product-screen:not(:has(.modal))",
        },
    ];
}

/** The session was opened (with approval) before the tour. */
export function enterOpenShift() {
    return [
        {
            content: "start the POS",
            trigger: ".screen-login .btn.open-register-btn",
            run: "click",
        },
        {
            content: "the sale screen is there",
            trigger: ".product-screen",
        },
    ];
}

export function typeInDialog(selector, value) {
    return {
        content: `type ${value}`,
        trigger: `.modal ${selector}`,
        run: `edit ${value}`,
    };
}

export function enterTerminalReference(reference) {
    return [
        {
            content: "the till asks for the terminal's receipt number",
            trigger: ".modal textarea",
            run: `edit ${reference}`,
        },
        {
            content: "apply",
            trigger: ".modal .modal-footer .btn-primary:contains('Apply')",
            run: "click",
        },
    ];
}

export function receiptContains(text) {
    return {
        content: `the receipt shows ${text}`,
        trigger: `.receipt-screen .o_clever_receipt:contains("${text}")`,
    };
}

export function nextOrder() {
    return {
        content: "next order",
        trigger: ".receipt-screen .button.next.highlight[name='done']",
        run: "click",
    };
}
