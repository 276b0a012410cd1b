import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { ApprovalPanel } from "./approval_panel";

/**
 * The approval dialog for screens that open dialogs themselves (the POS): resolves through
 * getPayload with the decision ({approved: true, request}) or {approved: false} when cancelled.
 */
export class ApprovalDialog extends Component {
    static template = "clever_pos_base.ApprovalDialog";
    static components = { Dialog, ApprovalPanel };
    static props = {
        requestId: Number,
        posConfigId: { type: [Number, Boolean], optional: true },
        title: { type: String, optional: true },
        getPayload: { type: Function, optional: true },
        close: Function,
    };

    get title() {
        return this.props.title || _t("Manager approval");
    }

    onDecided(request) {
        if (request.state === "approved") {
            this.props.getPayload?.({ approved: true, request });
            this.props.close();
        }
    }

    onCancelled() {
        this.props.getPayload?.({ approved: false });
        this.props.close();
    }
}
