import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

const PAGE_SIZE = 10;

/** The cash moves of the shift, newest first, a page at a time. */
export class CleverCashMoveListPopup extends Component {
    static template = "clever_pos_terminal.CleverCashMoveListPopup";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.state = useState({ offset: 0, total: 0, moves: [] });
        onWillStart(() => this.load());
    }

    async load() {
        const result = await this.pos.data.call("pos.session", "clever_get_cash_moves", [
            this.pos.session.id,
            this.state.offset,
            PAGE_SIZE,
        ]);
        this.state.total = result.total;
        this.state.moves = result.moves;
    }

    get page() {
        return Math.floor(this.state.offset / PAGE_SIZE) + 1;
    }

    get pages() {
        return Math.max(1, Math.ceil(this.state.total / PAGE_SIZE));
    }

    async next() {
        if (this.state.offset + PAGE_SIZE < this.state.total) {
            this.state.offset += PAGE_SIZE;
            await this.load();
        }
    }

    async previous() {
        if (this.state.offset > 0) {
            this.state.offset = Math.max(0, this.state.offset - PAGE_SIZE);
            await this.load();
        }
    }
}
