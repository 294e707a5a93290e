#pragma once

#include "upstreamcallbacks.h"
#include "upstreamrequest.h"
#include "upstreamresponsehead.h"
#include "upstreamresult.h"

#include <QElapsedTimer>

#include <curl/system.h>

#include <array>
#include <cstddef>

struct curl_slist;

namespace gw {

class UpstreamClient;

// One upstream HTTP call: the handle UpstreamClient::start() returns, and
// the transfer's state behind it. The client keeps the call alive while the
// transfer runs, so dropping the handle does not stop it; cancel() does.
// Every method must be called on the client's thread. After the call ended
// (onDone ran, it was cancelled, or the client was destroyed) the methods
// do nothing.
class UpstreamCall
{
public:
    ~UpstreamCall();
    UpstreamCall(const UpstreamCall &) = delete;
    UpstreamCall &operator=(const UpstreamCall &) = delete;

    // Stops the transfer now: the easy handle leaves the multi handle (from
    // inside a callback, as soon as that callback returns), an HTTP/1.1
    // connection is closed so the upstream sees the client go, and no
    // callback of this call runs afterwards.
    void cancel();
    // Back-pressure: no more onData until resumeReceiving(), and libcurl
    // stops reading the socket (at most one more chunk is read and held).
    // onHead may still arrive. The first-byte and idle timeouts do not run
    // meanwhile; the total one does.
    void pauseReceiving();
    void resumeReceiving();

    bool isActive() const;
    bool isPaused() const { return m_paused; }

private:
    friend class UpstreamClient;

    // Where the call stands, for the timeouts of its own.
    enum class Phase { Connecting, Sending, AwaitingFirstByte, Receiving };

    UpstreamCall(UpstreamClient *client, UpstreamRequest request, UpstreamCallbacks callbacks);

    // Sets up the easy handle; false and a message when the request is refused.
    bool prepare(QString *error);
    void *easy() const { return m_easy; }
    // Frees the easy handle; the client has taken it out of the multi handle.
    void releaseEasy();
    // The client is done with the call (finished, cancelled or destroyed).
    void detach();
    void releaseCallbacks();

    // libcurl callbacks, entered with the call as user data.
    static size_t onCurlHeader(char *data, size_t size, size_t count, void *self);
    static size_t onCurlWrite(char *data, size_t size, size_t count, void *self);
    static int onCurlPrereq(void *self, char *primaryIp, char *localIp, int primaryPort, int localPort);
    static int onCurlProgress(void *self, curl_off_t downloadTotal, curl_off_t downloadNow, curl_off_t uploadTotal,
                              curl_off_t uploadNow);

    bool receiveHeaderLine(const char *data, size_t size);
    bool receiveBody(const char *data, size_t size);
    void requestSent();
    void deliverHead();
    // Runs a callback of the caller; what it asked for meanwhile (releasing
    // the callbacks themselves) waits until it returned.
    template <typename Function>
    void dispatch(Function &&function)
    {
        ++m_dispatchDepth;
        function();
        --m_dispatchDepth;
        if (m_dispatchDepth == 0 && m_releaseAfterDispatch)
            releaseCallbacks();
    }

    qint64 nowNs() const { return m_clock.nsecsElapsed(); }
    // When the first-byte or idle timeout is due, -1 when none applies now.
    qint64 deadlineNs() const;
    void updateDeadline();
    void onDeadlineTimer();
    QString timeoutMessage() const;
    QString curlTimeoutMessage() const;

    // The result as it stands, with what libcurl knows about the transfer;
    // call before releaseEasy().
    UpstreamResult buildResult(int curlCode, UpstreamFailure failure, const QString &message);
    QString curlMessage(int curlCode) const;
    QString scrubbed(QString message) const;

    UpstreamClient *m_client;
    UpstreamRequest m_request;
    UpstreamCallbacks m_callbacks;
    void *m_easy = nullptr;
    curl_slist *m_headerList = nullptr;
    std::array<char, 256> m_errorBuffer{}; // CURL_ERROR_SIZE, checked in the .cpp

    UpstreamResponseHead m_head;
    qint64 m_bytesReceived = 0;
    qint64 m_firstByteUs = -1;
    QByteArray m_remoteAddress;

    QElapsedTimer m_clock;
    Phase m_phase = Phase::Connecting;
    qint64 m_sentAtNs = 0;
    qint64 m_lastActivityNs = 0;
    curl_off_t m_uploadedBytes = 0;
    int m_timerId = 0;
    qint64 m_timerDueNs = 0;

    bool m_added = false;    // in the multi handle
    bool m_paused = false;
    bool m_curlPaused = false; // libcurl holds a chunk we refused with CURL_WRITEFUNC_PAUSE
    bool m_cancelled = false;
    bool m_finished = false; // onDone delivered or about to be
    bool m_headDelivered = false;
    bool m_trackUpload = false;
    int m_dispatchDepth = 0;
    bool m_releaseAfterDispatch = false;
};

} // namespace gw
