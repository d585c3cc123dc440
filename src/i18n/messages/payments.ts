// Messages of plans, orders and payment providers.
import type { Catalogue } from "../index";

export const paymentsMessages: Catalogue = {
  plan_not_found: {
    ru: "Тариф «{plan}» не найден.",
    en: "Plan “{plan}” not found.",
  },
  invalid_plan_value: {
    ru: "Недопустимое значение поля {field}: {details}",
    en: "Invalid value for {field}: {details}",
  },
  payments_unavailable: {
    ru: "Оплата сейчас недоступна: платёжный провайдер не настроен.",
    en: "Payments are unavailable: no payment provider is configured.",
  },
  plan_unavailable: {
    ru: "Тариф «{plan}» сейчас нельзя купить.",
    en: "Plan “{plan}” cannot be bought right now.",
  },
  receipt_email_required: {
    ru: "Для чека нужен e-mail: укажите его в аккаунте.",
    en: "The receipt needs an e-mail address: add one to your account.",
  },
  payment_provider_unavailable: {
    ru: "Платёжный провайдер не отвечает. Заказ сохранён, повторите через минуту — второго платежа не будет.",
    en: "The payment provider is not answering. The order is kept; retry in a minute — no second payment is made.",
  },
  payment_provider_refused: {
    ru: "Платёжный провайдер отклонил платёж. Попробуйте позже или напишите в поддержку.",
    en: "The payment provider refused the payment. Try later or contact support.",
  },
  order_not_found: {
    ru: "Заказ не найден.",
    en: "Order not found.",
  },
  invalid_notification: {
    ru: "Неверное уведомление.",
    en: "Invalid notification.",
  },
  webhook_ip_forbidden: {
    ru: "Адрес отправителя не в списке разрешённых.",
    en: "The sender's address is not allowed.",
  },
  platega_callback_forbidden: {
    ru: "Неверные X-MerchantId / X-Secret.",
    en: "Wrong X-MerchantId / X-Secret.",
  },
  platega_refund_failed: {
    ru: "Platega не выполнила возврат. Повторите позже.",
    en: "Platega did not perform the refund. Retry later.",
  },
  platega_refund_manual: {
    ru: "Platega не может вернуть этот платёж автоматически: оформите возврат в кабинете Platega (через поддержку). Ничего не списано.",
    en: "Platega cannot refund this payment automatically: make the refund in the Platega dashboard (through support). Nothing was taken back.",
  },
  stars_order_invalid: {
    ru: "Этот счёт недействителен. Откройте /buy и выберите тариф заново.",
    en: "This invoice is not valid. Open /buy and pick the plan again.",
  },
  stars_order_closed: {
    ru: "Этот счёт уже оплачен или закрыт. Откройте /buy, чтобы купить ещё.",
    en: "This invoice is already paid or closed. Open /buy to buy again.",
  },
  bot_buy_none: {
    ru: "Сейчас нет тарифов за Telegram Stars.",
    en: "No plans are sold for Telegram Stars right now.",
  },
  bot_buy_pick: {
    ru: "Выберите тариф (оплата Telegram Stars):",
    en: "Pick a plan (paid with Telegram Stars):",
  },
  bot_buy_invoice: {
    ru: "{plan}: {tokens} токенов мастеринга на ваш баланс.",
    en: "{plan}: {tokens} mastering tokens to your balance.",
  },
  bot_paysupport: {
    ru: "Вопросы по оплате решает оператор сервиса, а не поддержка Telegram: напишите ему (контакт на сайте сервиса). Возврат приходит Stars на ваш счёт в Telegram.",
    en: "Payment questions are handled by the service's operator, not by Telegram support: write to them (contact on the service's site). A refund returns the Stars to your Telegram account.",
  },
  order_not_refundable: {
    ru: "Этот заказ нельзя вернуть: он не оплачен.",
    en: "This order cannot be refunded: it is not paid.",
  },
  refund_failed: {
    ru: "Telegram не выполнил возврат. Повторите позже.",
    en: "Telegram did not perform the refund. Retry later.",
  },
  // Receipts (src/notify/receipts.ts): {tier_line} is one of the receipt_tier_* lines or empty.
  receipt_subject: {
    ru: "Оплата получена: {plan}",
    en: "Payment received: {plan}",
  },
  receipt_text: {
    ru: "Здравствуйте!\n\nОплата получена, спасибо.\n\nТариф: {plan}\nСумма: {amount}\nТокенов зачислено: {tokens} (баланс: {balance})\n{tier_line}\n\nЗаказ: {order}\n\nЕсли вы не совершали эту оплату, ответьте на это письмо.",
    en: "Hello!\n\nPayment received, thank you.\n\nPlan: {plan}\nAmount: {amount}\nTokens credited: {tokens} (balance: {balance})\n{tier_line}\n\nOrder: {order}\n\nIf you did not make this payment, reply to this e-mail.",
  },
  receipt_bot: {
    ru: "Оплата получена, спасибо! {plan} — {amount}.\nТокенов зачислено: {tokens}, баланс: {balance} (/balance).\n{tier_line}\nЗаказ {order}",
    en: "Payment received, thank you! {plan} — {amount}.\nTokens credited: {tokens}, balance: {balance} (/balance).\n{tier_line}\nOrder {order}",
  },
  receipt_tier_until: {
    ru: "Тариф {tier} действует до {date}.",
    en: "Your {tier} tier runs until {date}.",
  },
  receipt_tier_forever: {
    ru: "Тариф {tier} действует без срока окончания.",
    en: "Your {tier} tier has no end date.",
  },
  receipt_tier_now: {
    ru: "Ваш тариф сейчас: {tier}.",
    en: "Your tier now: {tier}.",
  },
  refund_notice_subject: {
    ru: "Возврат оформлен: {plan}",
    en: "Refund made: {plan}",
  },
  refund_notice_text: {
    ru: "Здравствуйте!\n\nПо заказу {order} ({plan}) оформлен возврат {amount}.\nСписано токенов: {tokens} (баланс: {balance})\n{tier_line}\n\nДеньги вернутся тем же способом, которым вы платили.",
    en: "Hello!\n\nOrder {order} ({plan}) was refunded: {amount}.\nTokens taken back: {tokens} (balance: {balance})\n{tier_line}\n\nThe money goes back the way you paid.",
  },
  refund_notice_bot: {
    ru: "Возврат оформлен: {plan} — {amount}.\nСписано токенов: {tokens}, баланс: {balance}.\n{tier_line}\nЗаказ {order}",
    en: "Refund made: {plan} — {amount}.\nTokens taken back: {tokens}, balance: {balance}.\n{tier_line}\nOrder {order}",
  },
  admin_payment_received: {
    ru: "💰 Оплата получена: {amount} через {provider} — {plan} (+{tokens} токенов)\nПользователь: {user}\nЗаказ: {order}",
    en: "💰 Payment received: {amount} via {provider} — {plan} (+{tokens} tokens)\nUser: {user}\nOrder: {order}",
  },
  admin_payment_refunded: {
    ru: "↩️ Возврат{scope}: {amount} через {provider} — {plan} (−{tokens} токенов)\nПользователь: {user}\nЗаказ: {order}",
    en: "↩️ Refund{scope}: {amount} via {provider} — {plan} (−{tokens} tokens)\nUser: {user}\nOrder: {order}",
  },
  admin_refund_partial: {
    ru: " (частичный)",
    en: " (partial)",
  },
  // Refunds and reconciling from the admin panel, the CLI and the bot (billing/refund-order.ts)
  refund_provider_failed: {
    ru: "{provider} не выполнил возврат ({detail}). Ничего не списано; повтор безопасен — второго возврата не будет.",
    en: "{provider} did not perform the refund ({detail}). Nothing was taken back; retrying is safe — no second refund is made.",
  },
  provider_request_failed: {
    ru: "{provider} не ответил ({detail}). Ничего не изменено; повторите позже.",
    en: "{provider} did not answer ({detail}). Nothing was changed; retry later.",
  },
  refund_amount_invalid: {
    ru: "Сумма возврата должна быть больше нуля и не больше {max} {currency} (то, что ещё не возвращено).",
    en: "The refund amount must be above zero and at most {max} {currency} (what is not refunded yet).",
  },
  refund_partial_unsupported: {
    ru: "{provider} возвращает только всю сумму: оставьте поле суммы пустым.",
    en: "{provider} refunds the whole amount only: leave the amount empty.",
  },
  refund_in_progress: {
    ru: "Возврат этого заказа уже выполняется. Дождитесь результата и обновите страницу.",
    en: "A refund of this order is already in progress. Wait for its result and reload the page.",
  },
  refund_stale: {
    ru: "Заказ изменился (возвратов уже: {refunds}). Обновите страницу и проверьте, нужен ли ещё возврат.",
    en: "The order changed (refunds so far: {refunds}). Reload the page and check whether another refund is still needed.",
  },
  refund_canceled: {
    ru: "Провайдер отклонил возврат ({reason}). Ничего не списано.",
    en: "The provider declined the refund ({reason}). Nothing was taken back.",
  },
  order_not_reconcilable: {
    ru: "Этот заказ нельзя сверить: у Telegram Stars нечего запрашивать заново — всё известное сохранено при оплате.",
    en: "This order cannot be reconciled: Telegram Stars has nothing to re-fetch — everything known was stored at payment.",
  },
  // Bot menu entries and the admin's /refund (src/bot/commands.ts, features/admin.ts)
  bot_cmd_buy: { ru: "Купить токены или тариф", en: "Buy tokens or a plan" },
  bot_cmd_paysupport: { ru: "Вопросы по оплате", en: "Payment help" },
  bot_cmd_refund: { ru: "Вернуть оплату", en: "Refund a payment" },
  bot_admin_refund_usage: {
    ru: "/refund <id заказа> — вернуть оплату через провайдера (Stars, ЮKassa, Platega) и списать то, что заказ дал (id — из уведомления «Оплата получена»).",
    en: "/refund <order id> — refund a payment through its provider (Stars, YooKassa, Platega) and take back what the order gave (the id is in the “Payment received” notice).",
  },
  bot_admin_refund_done: {
    ru: "↩️ Возврат выполнен: заказ {order}. Деньги (или Stars) вернутся покупателю, токены (и дни тарифа) списаны.",
    en: "↩️ Refunded: order {order}. The money (or Stars) goes back to the buyer; the tokens (and tier days) are taken back.",
  },
  bot_admin_refund_pending: {
    ru: "⏳ Возврат по заказу {order} принят провайдером и ещё обрабатывается: токены спишутся, когда провайдер его подтвердит.",
    en: "⏳ The refund of order {order} was accepted by the provider and is still processing: the tokens are taken back once the provider confirms it.",
  },
  bot_admin_refund_duplicate: {
    ru: "Заказ {order} уже возвращён — ничего не изменено.",
    en: "Order {order} was already refunded — nothing changed.",
  },
};
