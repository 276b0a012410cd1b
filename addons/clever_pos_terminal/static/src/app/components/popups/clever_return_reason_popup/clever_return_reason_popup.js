import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/** Why the goods come back: a reason from the list, and a comment (required for some). */
export class CleverReturnReasonPopup extends Component {
    static template = "clever_pos_terminal.CleverReturnReasonPopup";
    static components = { Dialog };
    static props = { getPayload: Function, close: Function };

    setup() {
        this.pos = usePos();
        this.state = useState({ reasonId: null, comment: "" });
    }

    get reasons() {
        return [...this.pos.models["clever.pos.return.reason"].getAll()].sort((a, b) => a.sequence - b.sequence);
    }

    get reason() {
        return this.pos.models["clever.pos.return.reason"].get(this.state.reasonId);
    }

    get canConfirm() {
        return Boolean(this.reason && (!this.reason.comment_required || this.state.comment.trim()));
    }

    confirm() {
        if (!this.canConfirm) {
            return;
        }
        this.props.getPayload({ reason: this.reason, comment: this.state.comment.trim() });
        this.props.close();
    }
}
