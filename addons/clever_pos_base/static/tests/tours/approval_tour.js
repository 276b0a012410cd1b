import { registry } from "@web/core/registry";

/**
 * A requester waits in the approval dialog twice: the first request is approved by typing the
 * manager's current QR code (what a scanner types), the second by a manager on the phone page
 * while the dialog stays open: it must turn "approved" by itself, without a reload.
 * The test sets window.cleverTestApprovalCode and window.cleverTestSecondUrl before starting.
 */
registry.category("web_tour.tours").add("clever_approval_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_clever_wait_button", run: "click" },
        { trigger: ".o_clever_approval_panel[data-state='pending'] .o_clever_approval_phone_qr" },
        { trigger: ".o_clever_approval_code", run: "edit 000000" },
        { trigger: ".o_clever_approval_submit", run: "click" },
        { trigger: ".o_clever_approval_message.alert-danger" },
        { trigger: ".o_clever_approval_code", run: `edit ${window.cleverTestApprovalCode}` },
        { trigger: ".o_clever_approval_submit", run: "click" },
        { trigger: ".o_clever_approval_panel[data-state='approved']" },
        { trigger: ".o_clever_approval_message.alert-success" },
        {
            trigger: ".o_clever_approval_close",
            run: () => {
                window.location.href = window.cleverTestSecondUrl;
            },
            expectUnloadPage: true,
        },
        { trigger: ".o_form_view .o_clever_wait_button", run: "click" },
        { trigger: ".o_clever_approval_panel[data-state='pending']" },
        // A wrong code first: the test's "manager phone" waits for this attempt to appear, so
        // that the decision surely arrives while this dialog is open.
        { trigger: ".o_clever_approval_code", run: "edit 111111" },
        { trigger: ".o_clever_approval_submit", run: "click" },
        { trigger: ".o_clever_approval_message.alert-danger" },
        { trigger: ".o_clever_approval_panel[data-state='approved']", timeout: 30000 },
        { trigger: ".o_clever_approval_message.alert-success" },
    ],
});
